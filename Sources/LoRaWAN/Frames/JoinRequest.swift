/// A join-request: `MHDR | JoinEUI | DevEUI | DevNonce | MIC`, 23 bytes (LoRaWAN 1.1 §6.2.2).
public struct JoinRequest: Hashable, Sendable {
    public var joinEUI: EUI64
    public var devEUI: EUI64
    public var devNonce: DevNonce
    public var mic: MIC

    public static let length = 23

    public init(joinEUI: EUI64, devEUI: EUI64, devNonce: DevNonce, mic: MIC = MIC(0)) {
        self.joinEUI = joinEUI
        self.devEUI = devEUI
        self.devNonce = devNonce
        self.mic = mic
    }

    public init(decoding bytes: [UInt8]) throws(FrameError) {
        guard bytes.count == Self.length else {
            throw .wrongLength(message: "join-request", expected: "\(Self.length)", actual: bytes.count)
        }
        let mhdr = try MHDR(byte: bytes[0])
        guard mhdr.mType == .joinRequest else { throw .invalidField(field: "MHDR", reason: "\(mhdr.mType) is not JoinRequest") }
        var reader = ByteReader(bytes, from: 1)
        joinEUI = EUI64(try reader.uint64LE("JoinEUI"))
        devEUI = EUI64(try reader.uint64LE("DevEUI"))
        devNonce = DevNonce(try reader.uint16LE("DevNonce"))
        mic = MIC(try reader.uint32LE("MIC"))
    }

    /// The 19 bytes the MIC covers.
    public var encodedWithoutMIC: [UInt8] {
        var out: [UInt8] = [MHDR(mType: .joinRequest).byte]
        out += joinEUI.littleEndianBytes
        out += devEUI.littleEndianBytes
        out.appendLE(devNonce.rawValue)
        return out
    }

    public func encode() -> [UInt8] { encodedWithoutMIC + mic.bytes }
}
