/// A MAC command field narrower than a byte: a small unsigned number that shares its byte with other
/// fields or with RFU bits. A value of a conforming type is always within the field's width, so an
/// encoder can place it without checking and a decoder can build it without failing.
///
/// - `init?(rawValue:)` refuses a value that does not fit (use it for input from users and APIs).
/// - `init(truncatingIfNeeded:)` keeps the low `bitWidth` bits (what a decoder does after shifting).
public protocol MACCommandBitField: RawRepresentable, Hashable, Sendable, CustomStringConvertible
where RawValue == UInt8 {
    /// How many bits the field occupies on the air.
    static var bitWidth: Int { get }
    /// Keeps the low `bitWidth` bits of `bits` and drops the rest.
    init(truncatingIfNeeded bits: UInt8)
}

extension MACCommandBitField {
    /// The largest value the field holds: 2^bitWidth − 1.
    public static var maximum: UInt8 { UInt8(truncatingIfNeeded: (1 << bitWidth) - 1) }

    /// The field, or `nil` when `rawValue` needs more than `bitWidth` bits.
    public init?(rawValue: UInt8) {
        guard rawValue <= Self.maximum else { return nil }
        self.init(truncatingIfNeeded: rawValue)
    }

    public var description: String { "\(rawValue)" }
}

/// LinkADRReq TXPower: an index into the region's transmit power table, 0 being the region's maximum
/// EIRP (RP002-1.0.3 §2.x.3). 15 tells the device to keep its current power (LoRaWAN 1.1 §5.3,
/// kept by 1.0.4). 4 bits.
public struct TXPower: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    /// TXPower 15: keep the current transmit power.
    public static let keepCurrent = TXPower(truncatingIfNeeded: 15)
}

/// LinkADRReq NbTrans: how many times the device sends each unconfirmed uplink (1-15). 0 is special:
/// the device falls back to the value its LoRaWAN version prescribes (§5.3). 4 bits.
public struct NbTrans: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }
}

/// LinkADRReq ChMaskCntl: which block of channels the 16-bit ChMask applies to, or a region-specific
/// switch (RP002-1.0.3 §2.x.5; `ChannelMaskScope` interprets it per region). 3 bits.
public struct ChannelMaskControl: MACCommandBitField {
    public static let bitWidth = 3
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }
}

/// DutyCycleReq MaxDutyCycle: the aggregated transmit duty cycle is limited to 1 / 2^MaxDutyCycle;
/// 0 means no limit beyond the regional one (LoRaWAN 1.1 §5.4). 4 bits.
public struct MaxDutyCycle: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }
}

/// RXParamSetupReq RX1DROffset: the offset between the uplink data rate and the RX1 downlink data rate
/// (LoRaWAN 1.1 §5.5; the table is in RP002). 3 bits.
public struct RX1DROffset: MACCommandBitField {
    public static let bitWidth = 3
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }
}

/// RXTimingSetupReq Del: the delay from the end of the uplink to RX1 in seconds, where 0 also means
/// 1 s (LoRaWAN 1.1 §5.8). 4 bits.
public struct RXTimingDelay: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    /// RECEIVE_DELAY1 in seconds (1-15).
    public var seconds: Int { max(1, Int(rawValue)) }
}

/// TxParamSetupReq MaxEIRP: a coded maximum EIRP (LoRaWAN 1.1 §5.9). 4 bits.
public struct MaxEIRP: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    // LoRaWAN 1.1 §5.9: the coded value indexes this table of dBm.
    private static let table: [Int] = [8, 10, 12, 13, 14, 16, 18, 20, 21, 24, 26, 27, 29, 30, 33, 36]

    /// The maximum EIRP in dBm the code stands for.
    public var dBm: Int { Self.table[Int(rawValue & Self.maximum)] }
}

/// ADRParamSetupReq Limit_exp: ADR_ACK_LIMIT = 2^Limit_exp uplinks (LoRaWAN 1.1 §5.11). 4 bits.
public struct ADRAckLimitExponent: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    /// ADR_ACK_LIMIT, 1 to 32768.
    public var adrAckLimit: Int { 1 << Int(rawValue) }
}

/// ADRParamSetupReq Delay_exp: ADR_ACK_DELAY = 2^Delay_exp uplinks (LoRaWAN 1.1 §5.11). 4 bits.
public struct ADRAckDelayExponent: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    /// ADR_ACK_DELAY, 1 to 32768.
    public var adrAckDelay: Int { 1 << Int(rawValue) }
}

/// ForceRejoinReq Period: the device waits 32 s × 2^Period plus a random 0-32 s between
/// retransmissions of the rejoin-request (LoRaWAN 1.1 §5.13). 3 bits.
public struct ForceRejoinPeriod: MACCommandBitField {
    public static let bitWidth = 3
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }
}

/// ForceRejoinReq Max_Retries: how many times the rejoin-request is retransmitted after the first
/// (0: sent once) (LoRaWAN 1.1 §5.13). 3 bits.
public struct ForceRejoinMaxRetries: MACCommandBitField {
    public static let bitWidth = 3
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }
}

/// ForceRejoinReq RejoinType: 0 or 1 ask for a rejoin-request type 0, 2 for type 2; 3-7 are RFU
/// (LoRaWAN 1.1 §5.13). 3 bits.
public struct ForceRejoinType: MACCommandBitField {
    public static let bitWidth = 3
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }
}

/// RejoinParamSetupReq MaxTimeN: the device sends a rejoin-request type 0 at least every
/// 2^(MaxTimeN + 10) seconds (LoRaWAN 1.1 §5.14). 4 bits.
public struct RejoinMaxTimeN: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    /// The period in seconds, 1024 to 2^25.
    public var seconds: Int { 1 << (Int(rawValue) + 10) }
}

/// RejoinParamSetupReq MaxCountN: the device sends a rejoin-request type 0 at least every
/// 2^(MaxCountN + 4) uplinks (LoRaWAN 1.1 §5.14). 4 bits.
public struct RejoinMaxCountN: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    /// The count of uplinks, 16 to 2^19.
    public var uplinks: Int { 1 << (Int(rawValue) + 4) }
}

/// PingSlotInfoReq Periodicity: a class B device opens a unicast ping slot every 2^Periodicity
/// seconds (LoRaWAN 1.1 §14.1, 1.0.4 §12.1). 3 bits.
public struct PingSlotPeriodicity: MACCommandBitField {
    public static let bitWidth = 3
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    /// The ping period in seconds, 1 to 128.
    public var seconds: Int { 1 << Int(rawValue) }
}

/// The Minor field of ResetInd/ResetConf and RekeyInd/RekeyConf: 1 is LoRaWAN x.1; 0 and 2-15 are
/// RFU (LoRaWAN 1.1 §5.1, §5.10). Decoded as sent, so the Network Server decides what an RFU minor
/// means. 4 bits.
public struct LoRaWANMinorVersion: MACCommandBitField {
    public static let bitWidth = 4
    public let rawValue: UInt8
    public init(truncatingIfNeeded bits: UInt8) { rawValue = bits & Self.maximum }

    /// Minor 1: LoRaWAN 1.1.
    public static let lorawan1_1 = LoRaWANMinorVersion(truncatingIfNeeded: 1)
}
