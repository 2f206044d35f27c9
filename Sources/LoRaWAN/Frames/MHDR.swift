/// The MAC header: message type and major version (LoRaWAN 1.1 §4.2).
public struct MHDR: Hashable, Sendable, CustomStringConvertible {
    public var mType: MType
    /// Always 0 (LoRaWAN R1); decoding refuses anything else.
    public var major: UInt8 { 0 }

    public init(mType: MType) { self.mType = mType }

    /// Decodes the MHDR byte, refusing RFU bits and a major version other than R1 (Basics Station drops
    /// such frames too).
    public init(byte: UInt8) throws(FrameError) {
        guard byte & 0x03 == 0 else { throw .unsupportedMajor(byte & 0x03) }
        guard byte & 0x1C == 0 else { throw .invalidField(field: "MHDR", reason: "RFU bits are set") }
        mType = MType.allCases[Int(byte >> 5)]  // every 3-bit value is an MType
    }

    public var byte: UInt8 { mType.rawValue << 5 }
    public var description: String { "\(mType)" }
}

/// The eight LoRaWAN message types.
public enum MType: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case joinRequest = 0
    case joinAccept = 1
    case unconfirmedDataUp = 2
    case unconfirmedDataDown = 3
    case confirmedDataUp = 4
    case confirmedDataDown = 5
    case rejoinRequest = 6
    case proprietary = 7

    public var description: String {
        switch self {
        case .joinRequest: "JoinRequest"
        case .joinAccept: "JoinAccept"
        case .unconfirmedDataUp: "UnconfirmedDataUp"
        case .unconfirmedDataDown: "UnconfirmedDataDown"
        case .confirmedDataUp: "ConfirmedDataUp"
        case .confirmedDataDown: "ConfirmedDataDown"
        case .rejoinRequest: "RejoinRequest"
        case .proprietary: "Proprietary"
        }
    }

    /// The direction of a data message type, `nil` for the others.
    public var dataDirection: Direction? {
        switch self {
        case .unconfirmedDataUp, .confirmedDataUp: .uplink
        case .unconfirmedDataDown, .confirmedDataDown: .downlink
        default: nil
        }
    }

    public var isConfirmed: Bool { self == .confirmedDataUp || self == .confirmedDataDown }
}
