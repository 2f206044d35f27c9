/// The CFListType byte: what the 16-byte CFList of a join-accept carries (LoRaWAN 1.0.3 §6.2.4,
/// 1.1 §6.2.4.1).
public enum CFListKind: UInt8, Hashable, Sendable {
    /// Type 0: up to five extra channel frequencies (dynamic plans: EU868, AS923).
    case frequencies = 0
    /// Type 1: ChMask0...ChMask4, the channels the device may use (fixed plans: US915, AU915).
    case channelMask = 1
}

/// The contents of a join-accept CFList for one region. Build it with
/// ``RegionalParameters/cfList(frequencies:)`` or ``RegionalParameters/cfList(enabledChannels:)``,
/// read it with ``RegionalParameters/decodeCFList(_:)``; ``bytes`` gives the 16 bytes the
/// join-accept carries.
public enum RegionalCFList: Hashable, Sendable {
    case frequencies(CFListFrequencies)
    case channelMask(CFListChannelMask)

    public var kind: CFListKind {
        switch self {
        case .frequencies: .frequencies
        case .channelMask: .channelMask
        }
    }

    /// The 16 CFList bytes, CFListType last.
    public var bytes: [UInt8] {
        var out: [UInt8]
        switch self {
        case .frequencies(let list): out = list.fieldBytes
        case .channelMask(let mask): out = mask.fieldBytes
        }
        out.append(kind.rawValue)
        return out
    }

    /// A CFList is always 16 bytes: 15 of payload and the CFListType.
    public static let byteCount = 16
}

/// A type 0 CFList: five slots for extra channels, each empty or holding one frequency.
// RP002-1.0.3 §2.4.4: 5 × 3-byte frequencies, little endian, in units of 100 Hz; 0 = no channel.
public struct CFListFrequencies: Hashable, Sendable {
    /// The five slots in order; `nil` is an empty slot (0 on the wire). Slot i defines channel
    /// (number of default channels + i).
    public let slots: [Frequency?]

    /// Packs up to five frequencies into the first slots.
    public init(_ frequencies: [Frequency]) throws(RegionalParametersError) {
        try self.init(slots: frequencies.map { $0 })
    }

    /// Up to five slots, empty ones `nil` (a hole leaves that channel index undefined on the
    /// device); missing trailing slots are empty.
    public init(slots: [Frequency?]) throws(RegionalParametersError) {
        guard slots.count <= Self.slotCount else { throw .cfListTooManyFrequencies(slots.count) }
        let slots = slots + Array(repeating: nil, count: Self.slotCount - slots.count)
        for case let frequency? in slots {
            guard frequency.hertz % 100 == 0, frequency.hertz / 100 <= 0xFF_FFFF, frequency.hertz > 0 else {
                throw .cfListFrequencyNotEncodable(frequency)
            }
        }
        self.slots = slots
    }

    /// The frequencies of the filled slots, in slot order.
    public var frequencies: [Frequency] { slots.compactMap { $0 } }

    static let slotCount = 5

    /// The 15 payload bytes.
    var fieldBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(15)
        for slot in slots {
            let units = (slot?.hertz ?? 0) / 100
            out += [UInt8(truncatingIfNeeded: units), UInt8(truncatingIfNeeded: units >> 8),
                    UInt8(truncatingIfNeeded: units >> 16)]
        }
        return out
    }

    /// Reads the 15 payload bytes; the region checks the band.
    static func decode(_ field: ArraySlice<UInt8>) throws(RegionalParametersError) -> CFListFrequencies {
        var slots: [Frequency?] = []
        var index = field.startIndex
        for _ in 0..<slotCount {
            let units = UInt32(field[index]) | UInt32(field[index + 1]) << 8 | UInt32(field[index + 2]) << 16
            slots.append(units == 0 ? nil : Frequency(hertz: units * 100))
            index += 3
        }
        return try CFListFrequencies(slots: slots)
    }
}

/// A type 1 CFList: which of the region's fixed channels the device may use after joining.
// RP002-1.0.3 §2.5.4: ChMask0...ChMask4 (2 bytes each, little endian; channel 16k+i is bit i of
// ChMask k), then 5 RFU bytes, then CFListType = 1.
public struct CFListChannelMask: Hashable, Sendable {
    /// ChMask0...ChMask4.
    public let masks: [UInt16]

    /// - Parameter channelCount: how many channels the region has (72 in US915 and AU915); a channel
    ///   at or past it is refused.
    public init(enabledChannels: some Sequence<Int>, channelCount: Int,
                region: Region) throws(RegionalParametersError) {
        var masks = [UInt16](repeating: 0, count: Self.maskCount)
        for channel in enabledChannels {
            guard channel >= 0, channel < min(channelCount, Self.maskCount * 16) else {
                throw .channelMaskChannelOutOfRange(region, channel: channel, channelCount: channelCount)
            }
            masks[channel / 16] |= 1 << UInt16(channel % 16)
        }
        self.masks = masks
    }

    /// Whether the mask enables `channel`.
    public func isEnabled(_ channel: Int) -> Bool {
        guard channel >= 0, channel < Self.maskCount * 16 else { return false }
        return masks[channel / 16] & (1 << UInt16(channel % 16)) != 0
    }

    /// The enabled channel indices in ascending order.
    public var enabledChannels: [Int] { (0..<(Self.maskCount * 16)).filter(isEnabled) }

    static let maskCount = 5

    /// The 15 payload bytes: ten of mask and five RFU zeros.
    var fieldBytes: [UInt8] {
        masks.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
            + [UInt8](repeating: 0, count: 5)
    }

    /// Reads the 15 payload bytes; RFU bytes and bits of channels the region lacks must be zero.
    static func decode(_ field: ArraySlice<UInt8>, channelCount: Int,
                       region: Region) throws(RegionalParametersError) -> CFListChannelMask {
        let start = field.startIndex
        for offset in (maskCount * 2)..<15 where field[start + offset] != 0 {
            throw .cfListNonZeroRFU(index: offset, value: field[start + offset])
        }
        var channels: [Int] = []
        for k in 0..<maskCount {
            let word = UInt16(field[start + 2 * k]) | UInt16(field[start + 2 * k + 1]) << 8
            for bit in 0..<16 where word & (1 << UInt16(bit)) != 0 {
                channels.append(16 * k + bit)
            }
        }
        return try CFListChannelMask(enabledChannels: channels, channelCount: channelCount, region: region)
    }
}
