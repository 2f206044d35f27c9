/// A join-accept in clear (LoRaWAN 1.1 §6.2.3):
/// `MHDR | JoinNonce | Home_NetID | DevAddr | DLSettings | RxDelay | [CFList] | MIC`.
///
/// On the wire everything after MHDR is encrypted (`JoinAcceptCipher`); `PHYPayload` keeps those bytes
/// as `EncryptedJoinAccept` until a key is at hand.
public struct JoinAccept: Hashable, Sendable {
    public var joinNonce: JoinNonce
    public var homeNetID: NetID
    public var devAddr: DevAddr
    public var dlSettings: DLSettings
    /// RX1 delay in seconds; 0 on the wire means 1 s.
    public var rxDelay: UInt8
    public var cfList: CFList?
    public var mic: MIC

    public init(
        joinNonce: JoinNonce, homeNetID: NetID, devAddr: DevAddr, dlSettings: DLSettings, rxDelay: UInt8,
        cfList: CFList? = nil, mic: MIC = MIC(0)
    ) {
        self.joinNonce = joinNonce
        self.homeNetID = homeNetID
        self.devAddr = devAddr
        self.dlSettings = dlSettings
        self.rxDelay = rxDelay
        self.cfList = cfList
        self.mic = mic
    }

    /// Decodes the clear bytes (17 or 33, MHDR included) as `JoinAcceptCipher.decrypt` returns them.
    public init(decodingPlaintext bytes: [UInt8]) throws(FrameError) {
        guard bytes.count == 17 || bytes.count == 33 else {
            throw .wrongLength(message: "join-accept", expected: "17 or 33", actual: bytes.count)
        }
        let mhdr = try MHDR(byte: bytes[0])
        guard mhdr.mType == .joinAccept else { throw .invalidField(field: "MHDR", reason: "\(mhdr.mType) is not JoinAccept") }
        var reader = ByteReader(bytes, from: 1)
        joinNonce = JoinNonce(uncheckedRawValue: try reader.uint24LE("JoinNonce"))
        homeNetID = NetID(uncheckedRawValue: try reader.uint24LE("Home_NetID"))
        devAddr = DevAddr(try reader.uint32LE("DevAddr"))
        dlSettings = DLSettings(byte: try reader.uint8("DLSettings"))
        rxDelay = try reader.uint8("RxDelay") & 0x0F
        cfList = bytes.count == 33 ? try CFList(bytes: try reader.bytes(16, "CFList")) : nil
        mic = MIC(try reader.uint32LE("MIC"))
    }

    /// MHDR through CFList: what the MIC covers and, with the MIC, what gets encrypted.
    public var encodedWithoutMIC: [UInt8] {
        var out: [UInt8] = [MHDR(mType: .joinAccept).byte]
        out.appendLE24(joinNonce.rawValue)
        out += homeNetID.littleEndianBytes
        out.appendLE(devAddr.rawValue)
        out.append(dlSettings.byte)
        out.append(rxDelay & 0x0F)
        if let cfList { out += cfList.bytes }
        return out
    }

    /// The clear join-accept with its MIC (before encryption).
    public var encodedPlaintext: [UInt8] { encodedWithoutMIC + mic.bytes }
}

/// DLSettings (LoRaWAN 1.1 §6.2.3): OptNeg (bit 7), RX1DRoffset (bits 6-4), RX2DataRate (bits 3-0).
public struct DLSettings: Hashable, Sendable, CustomStringConvertible {
    /// Set by a 1.1 network: the device derives 1.1 keys. Clear: 1.0 behaviour.
    public var optNeg: Bool
    public private(set) var rx1DROffset: UInt8
    public private(set) var rx2DataRate: UInt8

    /// - Returns: `nil` when the offset exceeds 3 bits or the data rate 4 bits.
    public init?(optNeg: Bool, rx1DROffset: UInt8, rx2DataRate: UInt8) {
        guard rx1DROffset <= 7, rx2DataRate <= 15 else { return nil }
        self.optNeg = optNeg
        self.rx1DROffset = rx1DROffset
        self.rx2DataRate = rx2DataRate
    }

    public init(byte: UInt8) {
        optNeg = byte & 0x80 != 0
        rx1DROffset = byte >> 4 & 0x07
        rx2DataRate = byte & 0x0F
    }

    public var byte: UInt8 { (optNeg ? 0x80 : 0) | rx1DROffset << 4 | rx2DataRate }
    public var description: String { "OptNeg=\(optNeg ? 1 : 0) RX1DROffset=\(rx1DROffset) RX2DataRate=\(rx2DataRate)" }
}

/// The optional 16-byte channel list of a join-accept; its last byte is the CFListType
/// (0: extra frequencies, EU-like regions; 1: channel masks, US-like regions).
public struct CFList: Hashable, Sendable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(FrameError) {
        guard bytes.count == 16 else { throw .wrongLength(message: "CFList", expected: "16", actual: bytes.count) }
        self.bytes = bytes
    }

    public var cfListType: UInt8 { bytes[15] }
}
