/// A LoRaWAN 1.1 rejoin-request (§6.2.4).
public enum RejoinRequest: Hashable, Sendable {
    /// Type 0 (reset the context, keep the device address plan) or type 2 (rekey, same parameters):
    /// `MHDR | Type | NetID | DevEUI | RJcount0 | MIC`, 19 bytes, MIC under SNwkSIntKey.
    case type0(netID: NetID, devEUI: EUI64, rjCount0: RJCount, mic: MIC)
    case type2(netID: NetID, devEUI: EUI64, rjCount0: RJCount, mic: MIC)
    /// Type 1 (a join-request that can reach another network's Join Server):
    /// `MHDR | Type | JoinEUI | DevEUI | RJcount1 | MIC`, 24 bytes, MIC under JSIntKey.
    case type1(joinEUI: EUI64, devEUI: EUI64, rjCount1: RJCount, mic: MIC)

    public init(decoding bytes: [UInt8]) throws(FrameError) {
        guard bytes.count >= 2 else { throw .truncated(field: "RejoinType", needed: 2, available: bytes.count) }
        let mhdr = try MHDR(byte: bytes[0])
        guard mhdr.mType == .rejoinRequest else { throw .invalidField(field: "MHDR", reason: "\(mhdr.mType) is not RejoinRequest") }
        var reader = ByteReader(bytes, from: 2)
        switch bytes[1] {
        case 0, 2:
            guard bytes.count == 19 else { throw .wrongLength(message: "rejoin-request type \(bytes[1])", expected: "19", actual: bytes.count) }
            let netID = NetID(uncheckedRawValue: try reader.uint24LE("NetID"))
            let devEUI = EUI64(try reader.uint64LE("DevEUI"))
            let count = RJCount(try reader.uint16LE("RJcount0"))
            let mic = MIC(try reader.uint32LE("MIC"))
            self = bytes[1] == 0
                ? .type0(netID: netID, devEUI: devEUI, rjCount0: count, mic: mic)
                : .type2(netID: netID, devEUI: devEUI, rjCount0: count, mic: mic)
        case 1:
            guard bytes.count == 24 else { throw .wrongLength(message: "rejoin-request type 1", expected: "24", actual: bytes.count) }
            let joinEUI = EUI64(try reader.uint64LE("JoinEUI"))
            let devEUI = EUI64(try reader.uint64LE("DevEUI"))
            let count = RJCount(try reader.uint16LE("RJcount1"))
            self = .type1(joinEUI: joinEUI, devEUI: devEUI, rjCount1: count, mic: MIC(try reader.uint32LE("MIC")))
        default:
            throw .invalidField(field: "RejoinType", reason: "\(bytes[1]) is not 0, 1 or 2")
        }
    }

    public var rejoinType: UInt8 {
        switch self {
        case .type0: 0
        case .type1: 1
        case .type2: 2
        }
    }

    public var joinRequestType: JoinRequestType {
        switch self {
        case .type0: .rejoinType0
        case .type1: .rejoinType1
        case .type2: .rejoinType2
        }
    }

    public var devEUI: EUI64 {
        switch self {
        case .type0(_, let devEUI, _, _), .type2(_, let devEUI, _, _), .type1(_, let devEUI, _, _): devEUI
        }
    }

    /// RJcount0 or RJcount1, the counter that takes DevNonce's place in the key derivation.
    public var rjCount: RJCount {
        switch self {
        case .type0(_, _, let c, _), .type2(_, _, let c, _), .type1(_, _, let c, _): c
        }
    }

    public var mic: MIC {
        switch self {
        case .type0(_, _, _, let m), .type2(_, _, _, let m), .type1(_, _, _, let m): m
        }
    }

    /// The bytes the MIC covers.
    public var encodedWithoutMIC: [UInt8] {
        var out: [UInt8] = [MHDR(mType: .rejoinRequest).byte, rejoinType]
        switch self {
        case .type0(let netID, let devEUI, let count, _), .type2(let netID, let devEUI, let count, _):
            out += netID.littleEndianBytes
            out += devEUI.littleEndianBytes
            out.appendLE(count.rawValue)
        case .type1(let joinEUI, let devEUI, let count, _):
            out += joinEUI.littleEndianBytes
            out += devEUI.littleEndianBytes
            out.appendLE(count.rawValue)
        }
        return out
    }

    public func encode() -> [UInt8] { encodedWithoutMIC + mic.bytes }

    /// The same request with another MIC.
    public func with(mic: MIC) -> RejoinRequest {
        switch self {
        case .type0(let n, let d, let c, _): .type0(netID: n, devEUI: d, rjCount0: c, mic: mic)
        case .type2(let n, let d, let c, _): .type2(netID: n, devEUI: d, rjCount0: c, mic: mic)
        case .type1(let j, let d, let c, _): .type1(joinEUI: j, devEUI: d, rjCount1: c, mic: mic)
        }
    }
}
