// The structured fields MAC commands share: frequencies, data rate ranges, device status, GPS time,
// device class and proprietary identifiers. Each type holds only values its field can carry on air,
// so encoding never fails and never needs to check.

/// A channel frequency as MAC commands carry it: 24 bits, little-endian, in units of 100 Hz
/// (LoRaWAN 1.1 §5.5, §5.7). Kept in Hz so that callers never meet the wire unit.
///
/// Zero is a valid value with a command-specific meaning: NewChannelReq disables the channel,
/// PingSlotChannelReq and BeaconFreqReq restore the regional default.
public struct ChannelFrequency: Hashable, Sendable, CustomStringConvertible {
    /// The frequency in Hz, a multiple of 100.
    public let hertz: UInt32

    /// The highest frequency the 24-bit field can carry: (2^24 − 1) × 100 Hz.
    public static let maximumHertz: UInt32 = 0xFF_FFFF * 100

    /// A frequency that MAC commands can carry, or `FrameError.invalidField` when `hertz` is not a
    /// multiple of 100 or does not fit 24 bits of 100 Hz units.
    public init(hertz: UInt32) throws(FrameError) {
        guard hertz % 100 == 0 else {
            throw .invalidField(field: "Freq", reason: "\(hertz) Hz is not a multiple of 100 Hz")
        }
        guard hertz <= Self.maximumHertz else {
            throw .invalidField(
                field: "Freq", reason: "\(hertz) Hz is above the 24-bit maximum \(Self.maximumHertz) Hz")
        }
        self.hertz = hertz
    }

    /// The frequency from its 24-bit wire value (higher bits are ignored).
    init(wireValue: UInt32) { hertz = (wireValue & 0xFF_FFFF) * 100 }

    /// The 24-bit wire value: the frequency in units of 100 Hz.
    var wireValue: UInt32 { hertz / 100 }

    public var description: String { "\(hertz) Hz" }
}

/// NewChannelReq DrRange: the lowest and highest data rate the channel may use, MaxDR in bits 7-4 and
/// MinDR in bits 3-0 (LoRaWAN 1.1 §5.7).
///
/// A range whose MinDR is above its MaxDR is representable because it can arrive on air; a device
/// answers it with DataRateRangeOK = 0.
public struct DataRateRange: Hashable, Sendable, CustomStringConvertible {
    /// MinDR: the lowest data rate allowed on the channel.
    public var minDR: DataRateIndex
    /// MaxDR: the highest data rate allowed on the channel.
    public var maxDR: DataRateIndex

    public init(minDR: DataRateIndex, maxDR: DataRateIndex) {
        self.minDR = minDR
        self.maxDR = maxDR
    }

    /// Whether `dataRate` lies between MinDR and MaxDR inclusive.
    public func contains(_ dataRate: DataRateIndex) -> Bool { minDR <= dataRate && dataRate <= maxDR }

    init(wireByte: UInt8) {
        self.init(minDR: DataRateIndex(lowBitsOf: wireByte), maxDR: DataRateIndex(lowBitsOf: wireByte >> 4))
    }

    var wireByte: UInt8 { maxDR.rawValue << 4 | minDR.rawValue }

    public var description: String { "\(minDR)-\(maxDR)" }
}

extension DataRateIndex {
    /// The data rate in the low four bits of `byte`, the way every MAC command places a DR field.
    init(lowBitsOf byte: UInt8) {
        // Every 4-bit value is a case (DR0...DR15), so the fallback is never taken.
        self = DataRateIndex(rawValue: byte & 0x0F) ?? .dr15
    }
}

/// DevStatusAns Battery: 0 means the device is on external power, 1-254 is the battery level from
/// minimum to maximum, 255 means the device could not measure it (LoRaWAN 1.1 §5.6).
public struct DevStatusBattery: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Battery 0: connected to an external power source.
    public static let externalPower = DevStatusBattery(rawValue: 0)
    /// Battery 255: the device was not able to measure its battery level.
    public static let notMeasurable = DevStatusBattery(rawValue: 255)

    /// The battery level, 1 (empty) to 254 (full), or `nil` for external power or not measurable.
    public var level: UInt8? { (1...254).contains(rawValue) ? rawValue : nil }

    public var description: String {
        switch rawValue {
        case 0: "external power"
        case 255: "not measurable"
        default: "\(rawValue)/254"
        }
    }
}

/// DevStatusAns Margin: the demodulation signal-to-noise ratio of the last DevStatusReq in dB, a 6-bit
/// signed integer from −32 to 31 in bits 5-0; bits 7-6 are RFU (LoRaWAN 1.1 §5.6).
public struct DevStatusMargin: Hashable, Sendable, CustomStringConvertible {
    /// The margin in dB, −32...31.
    public let decibels: Int8

    /// The values the 6-bit field can hold.
    public static let range: ClosedRange<Int8> = -32...31

    /// The margin, or `nil` outside −32...31 dB.
    public init?(decibels: Int8) {
        guard Self.range.contains(decibels) else { return nil }
        self.decibels = decibels
    }

    /// Sign-extends bits 5-0 of `wireByte`; bits 7-6 are RFU and ignored.
    init(wireByte: UInt8) {
        let bits = wireByte & 0x3F
        decibels = bits & 0x20 == 0 ? Int8(bits) : Int8(bits) - 64
    }

    /// Bits 5-0 in two's complement, RFU bits 7-6 zero.
    var wireByte: UInt8 { UInt8(bitPattern: decibels) & 0x3F }

    public var description: String { "\(decibels) dB" }
}

/// DeviceTimeAns payload: the GPS time at the end of the uplink that carried DeviceTimeReq, as whole
/// seconds since the GPS epoch (1980-01-06 00:00:00 UTC, no leap seconds) and a fraction in 1/256 s
/// (LoRaWAN 1.1 §5.12).
public struct GPSEpochTime: Hashable, Sendable, CustomStringConvertible {
    /// Whole seconds since the GPS epoch (32 bits: wraps in 2116).
    public var seconds: UInt32
    /// The fractional second in units of 1/256 s.
    public var fractionalSecond: UInt8

    public init(seconds: UInt32, fractionalSecond: UInt8 = 0) {
        self.seconds = seconds
        self.fractionalSecond = fractionalSecond
    }

    /// The time `duration` after the GPS epoch, rounded down to 1/256 s, or `nil` when it is negative
    /// or does not fit 32 bits of seconds.
    public init?(sinceGPSEpoch duration: Duration) {
        let (wholeSeconds, attoseconds) = duration.components
        guard wholeSeconds >= 0, attoseconds >= 0, wholeSeconds <= Int64(UInt32.max) else { return nil }
        // 1/256 s = 3_906_250_000_000_000 as; attoseconds < 10^18, so the quotient is at most 255.
        self.init(
            seconds: UInt32(wholeSeconds),
            fractionalSecond: UInt8(truncatingIfNeeded: attoseconds / 3_906_250_000_000_000))
    }

    /// The time since the GPS epoch.
    public var sinceGPSEpoch: Duration {
        .seconds(Int64(seconds)) + .nanoseconds(Int64(fractionalSecond) * 3_906_250)
    }

    public var description: String { "GPS \(seconds)s+\(fractionalSecond)/256" }
}

/// DeviceModeInd and DeviceModeConf Class: the class the device operates in. 0x01 and 0x03-0xFF are
/// RFU, and a decoder refuses them (LoRaWAN 1.1 §18.1, Table 23).
public enum DeviceModeClass: UInt8, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case classA = 0x00
    case classC = 0x02

    public var description: String { self == .classA ? "Class A" : "Class C" }
}

extension DeviceModeClass {
    /// The class a DeviceModeInd or DeviceModeConf byte names; RFU values are refused because the
    /// command has no other content to fall back on (LoRaWAN 1.1 §18.1).
    init(wireByte: UInt8, in command: String) throws(FrameError) {
        guard let deviceClass = DeviceModeClass(rawValue: wireByte) else {
            throw .invalidField(
                field: "\(command) Class",
                reason: "0x\(Hex.encode([wireByte], uppercase: true)) is RFU (Class A is 0x00, Class C is 0x02)")
        }
        self = deviceClass
    }
}

/// A proprietary MAC command identifier, 0x80-0xFF (LoRaWAN 1.1 §5). The specification fixes
/// neither the payload length nor its meaning.
public struct ProprietaryCID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    /// The identifier, or `nil` below 0x80 (standard commands own 0x00-0x7F).
    public init?(rawValue: UInt8) {
        guard rawValue >= 0x80 else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { "0x" + Hex.encode([rawValue], uppercase: true) }
}
