/// An uplink (or downlink) channel: its index in the device's channel list, where it is and which
/// data rates it carries.
public struct RegionalChannel: Hashable, Sendable, CustomStringConvertible {
    /// The channel index a ChMask bit and the MIC's ChIndex refer to.
    public let index: Int
    public let frequency: Frequency
    /// The lowest and highest data rates the channel allows.
    public let dataRates: ClosedRange<DataRateIndex>

    public init(index: Int, frequency: Frequency, dataRates: ClosedRange<DataRateIndex>) {
        self.index = index
        self.frequency = frequency
        self.dataRates = dataRates
    }

    public var description: String {
        "channel \(index) \(frequency) \(dataRates.lowerBound)-\(dataRates.upperBound)"
    }
}

/// Evenly spaced channels, as the fixed-plan regions define them: US915's 64 × 125 kHz channels
/// are "902.3 MHz + 200 kHz × n" (RP002-1.0.3 §2.5.2).
public struct ChannelGrid: Hashable, Sendable {
    /// The frequency of the grid's first channel.
    public let first: Frequency
    /// The distance between neighbouring channels in hertz.
    public let spacing: UInt32
    /// How many channels the grid holds.
    public let count: Int
    /// The channel index of the grid's first channel in the region's channel list.
    public let firstIndex: Int
    public let dataRates: ClosedRange<DataRateIndex>

    public init(first: Frequency, spacing: UInt32, count: Int, firstIndex: Int,
                dataRates: ClosedRange<DataRateIndex>) {
        self.first = first
        self.spacing = spacing
        self.count = count
        self.firstIndex = firstIndex
        self.dataRates = dataRates
    }

    /// The channel with region-wide index `index`, or `nil` when the grid does not hold it.
    public func channel(_ index: Int) -> RegionalChannel? {
        let position = index - firstIndex
        guard position >= 0, position < count,
              let frequency = first.advanced(by: spacing, times: position) else { return nil }
        return RegionalChannel(index: index, frequency: frequency, dataRates: dataRates)
    }

    /// The channel exactly at `frequency`, or `nil` when it falls between or outside the grid.
    public func channel(at frequency: Frequency) -> RegionalChannel? {
        guard frequency >= first, spacing > 0 else { return nil }
        let distance = frequency.hertz - first.hertz
        guard distance % spacing == 0 else { return nil }
        let position = Int(distance / spacing)
        guard position < count else { return nil }
        return channel(firstIndex + position)
    }

    /// Every channel of the grid, in index order.
    public var channels: [RegionalChannel] {
        (firstIndex..<(firstIndex + count)).compactMap { channel($0) }
    }
}

/// How a region lays out its uplink channels.
public enum UplinkChannelPlan: Hashable, Sendable {
    /// A few default channels every device knows; the network adds up to `maxChannels` in total
    /// with the CFList or NewChannelReq (EU868, AS923).
    case dynamic(defaults: [RegionalChannel], maxChannels: Int)
    /// A fixed list of channels in grids; the network only enables and disables them with ChMask
    /// (US915, AU915).
    case fixed(grids: [ChannelGrid])

    /// The channels a device knows before any MAC command: the defaults of a dynamic plan, or all
    /// channels of a fixed plan.
    public var defaultChannels: [RegionalChannel] {
        switch self {
        case .dynamic(let defaults, _): defaults
        case .fixed(let grids): grids.flatMap(\.channels)
        }
    }

    /// The most channels a device may hold in this plan.
    public var maxChannels: Int {
        switch self {
        case .dynamic(_, let maxChannels): maxChannels
        case .fixed(let grids): grids.reduce(0) { $0 + $1.count }
        }
    }
}
