/// The one-byte Status of a MAC command answer: a set of acknowledgement bits, the rest RFU.
///
/// RFU bits are dropped when decoding (a device may set them; the specification gives them no
/// meaning) and written as 0 when encoding (LoRaWAN 1.1 §1.2: RFU bits are set to zero), so
/// `wireByte` only ever carries the bits listed in `namedFlags`.
public protocol MACCommandAnswerStatus: OptionSet, Hashable, Sendable, CustomStringConvertible
where RawValue == UInt8, Element == Self {
    /// Each defined bit with its name in the specification, highest bit first as the spec tables
    /// list them.
    static var namedFlags: [(flag: Self, name: String)] { get }
}

extension MACCommandAnswerStatus {
    /// Every defined bit set: the device accepted the whole request.
    public static var all: Self { Self(rawValue: namedFlags.reduce(0) { $0 | $1.flag.rawValue }) }

    /// Whether every defined bit is set, i.e. the device applied the request. Most requests are applied
    /// only when all of their checks pass (LoRaWAN 1.1 §5.3, §5.5, §5.7).
    public var isAccepted: Bool { isSuperset(of: Self.all) }

    /// The status from its wire byte, without RFU bits.
    init(wireByte: UInt8) { self.init(rawValue: wireByte & Self.all.rawValue) }

    /// The wire byte, RFU bits zero.
    var wireByte: UInt8 { rawValue & Self.all.rawValue }

    /// Each defined bit as `Name=0|1`, e.g. `PowerACK=1 DataRateACK=0 ChannelMaskACK=1`.
    public var description: String {
        Self.namedFlags.map { "\($0.name)=\(contains($0.flag) ? 1 : 0)" }.joined(separator: " ")
    }
}

/// LinkADRAns Status: bit 2 PowerACK, bit 1 DataRateACK, bit 0 ChannelMaskACK; bits 7-3 RFU
/// (LoRaWAN 1.1 §5.3).
public struct LinkADRAnswerStatus: MACCommandAnswerStatus {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let channelMaskACK = LinkADRAnswerStatus(rawValue: 1 << 0)
    public static let dataRateACK = LinkADRAnswerStatus(rawValue: 1 << 1)
    public static let powerACK = LinkADRAnswerStatus(rawValue: 1 << 2)

    public static let namedFlags: [(flag: LinkADRAnswerStatus, name: String)] = [
        (.powerACK, "PowerACK"), (.dataRateACK, "DataRateACK"), (.channelMaskACK, "ChannelMaskACK"),
    ]
}

/// RXParamSetupAns Status: bit 2 RX1DROffsetACK, bit 1 RX2DataRateACK, bit 0 ChannelACK; bits 7-3 RFU
/// (LoRaWAN 1.1 §5.5).
public struct RXParamSetupAnswerStatus: MACCommandAnswerStatus {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let channelACK = RXParamSetupAnswerStatus(rawValue: 1 << 0)
    public static let rx2DataRateACK = RXParamSetupAnswerStatus(rawValue: 1 << 1)
    public static let rx1DROffsetACK = RXParamSetupAnswerStatus(rawValue: 1 << 2)

    public static let namedFlags: [(flag: RXParamSetupAnswerStatus, name: String)] = [
        (.rx1DROffsetACK, "RX1DROffsetACK"), (.rx2DataRateACK, "RX2DataRateACK"), (.channelACK, "ChannelACK"),
    ]
}

/// NewChannelAns Status: bit 1 DataRateRangeOK, bit 0 ChannelFrequencyOK; bits 7-2 RFU
/// (LoRaWAN 1.1 §5.7).
public struct NewChannelAnswerStatus: MACCommandAnswerStatus {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let channelFrequencyOK = NewChannelAnswerStatus(rawValue: 1 << 0)
    public static let dataRateRangeOK = NewChannelAnswerStatus(rawValue: 1 << 1)

    public static let namedFlags: [(flag: NewChannelAnswerStatus, name: String)] = [
        (.dataRateRangeOK, "DataRateRangeOK"), (.channelFrequencyOK, "ChannelFrequencyOK"),
    ]
}

/// DlChannelAns Status: bit 1 UplinkFrequencyExists, bit 0 ChannelFrequencyOK; bits 7-2 RFU
/// (LoRaWAN 1.1 §5.7).
public struct DlChannelAnswerStatus: MACCommandAnswerStatus {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let channelFrequencyOK = DlChannelAnswerStatus(rawValue: 1 << 0)
    public static let uplinkFrequencyExists = DlChannelAnswerStatus(rawValue: 1 << 1)

    public static let namedFlags: [(flag: DlChannelAnswerStatus, name: String)] = [
        (.uplinkFrequencyExists, "UplinkFrequencyExists"), (.channelFrequencyOK, "ChannelFrequencyOK"),
    ]
}

/// RejoinParamSetupAns Status: bit 0 TimeOK; bits 7-1 RFU (LoRaWAN 1.1 §5.14). TimeOK = 0 means the
/// device accepted MaxCountN but not MaxTimeN.
public struct RejoinParamSetupAnswerStatus: MACCommandAnswerStatus {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let timeOK = RejoinParamSetupAnswerStatus(rawValue: 1 << 0)

    public static let namedFlags: [(flag: RejoinParamSetupAnswerStatus, name: String)] = [
        (.timeOK, "TimeOK")
    ]
}

/// PingSlotChannelAns Status: bit 1 DataRateOK, bit 0 ChannelFrequencyOK; bits 7-2 RFU
/// (LoRaWAN 1.1 §14.3).
public struct PingSlotChannelAnswerStatus: MACCommandAnswerStatus {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let channelFrequencyOK = PingSlotChannelAnswerStatus(rawValue: 1 << 0)
    public static let dataRateOK = PingSlotChannelAnswerStatus(rawValue: 1 << 1)

    public static let namedFlags: [(flag: PingSlotChannelAnswerStatus, name: String)] = [
        (.dataRateOK, "DataRateOK"), (.channelFrequencyOK, "ChannelFrequencyOK"),
    ]
}

/// BeaconFreqAns Status: bit 0 BeaconFrequencyOK; bits 7-1 RFU (LoRaWAN 1.1 §14.2).
public struct BeaconFreqAnswerStatus: MACCommandAnswerStatus {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let beaconFrequencyOK = BeaconFreqAnswerStatus(rawValue: 1 << 0)

    public static let namedFlags: [(flag: BeaconFreqAnswerStatus, name: String)] = [
        (.beaconFrequencyOK, "BeaconFrequencyOK")
    ]
}
