import LoRaWAN

/// One field of ``DesiredMACSettings``, to say which one a refusal is about. Channel fields carry the
/// channel's position in ``DesiredMACSettings/channels`` (the order the operator gave).
public enum DesiredMACSettingsField: Sendable, Hashable, CustomStringConvertible {
    case rx1DROffset, rx2DataRate, rx2Frequency, rx1Delay, maxDutyCycle
    case channelIndex(position: Int)
    case channelFrequency(position: Int)
    case channelMinDataRate(position: Int)
    case channelMaxDataRate(position: Int)
    case rejoin

    public var description: String {
        switch self {
        case .rx1DROffset: "RX1DROffset"
        case .rx2DataRate: "RX2 data rate"
        case .rx2Frequency: "RX2 frequency"
        case .rx1Delay: "RX1 delay"
        case .maxDutyCycle: "MaxDutyCycle"
        case .channelIndex(let position): "channel \(position + 1): index"
        case .channelFrequency(let position): "channel \(position + 1): frequency"
        case .channelMinDataRate(let position): "channel \(position + 1): MinDR"
        case .channelMaxDataRate(let position): "channel \(position + 1): MaxDR"
        case .rejoin: "rejoin parameters"
        }
    }
}

/// A desired value the device's region or LoRaWAN version does not allow.
public struct DesiredMACSettingsError: Error, Hashable, Sendable, CustomStringConvertible {
    public var field: DesiredMACSettingsField
    /// A sentence for the operator; it never needs the value repeated.
    public var reason: String

    public init(_ field: DesiredMACSettingsField, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

extension DesiredMACSettings {
    /// Checks every wish against the rules of `region` (RP002-1.0.3) and `macVersion`; throws the first
    /// problem. `region` is `nil` for a device whose region is the one of the gateway that will hear
    /// its join: then the region-bound wishes cannot be checked yet and are refused.
    public func validate(region: Region?, macVersion: MACVersion) throws(DesiredMACSettingsError) {
        if let problem = problems(region: region, macVersion: macVersion).first { throw problem }
    }

    /// Every problem, in field order; empty when the device can accept every wish.
    public func problems(region: Region?, macVersion: MACVersion) -> [DesiredMACSettingsError] {
        let unknownRegion = "the device's region is not known until it joins; give the device a region or wait for its join"
        var problems: [DesiredMACSettingsError] = []
        if let region {
            problems += rxParameterProblems(region.parameters)
        } else {
            let wished: [DesiredMACSettingsField] =
                (rx1DROffset != nil ? [.rx1DROffset] : []) + (rx2DataRate != nil ? [.rx2DataRate] : []) + (rx2Frequency != nil ? [.rx2Frequency] : [])
            problems += wished.map { .init($0, unknownRegion) }
        }
        if let rx1Delay, rx1Delay.rawValue == 0 {
            // §5.8: Del 0 means 1 s as well; one spelling keeps desired and current comparable.
            problems.append(.init(.rx1Delay, "RX1 delay is 1 to 15 seconds"))
        }
        if let region {
            problems += channelProblems(region.parameters)
        } else if !channels.isEmpty {
            problems.append(.init(.channelIndex(position: 0), unknownRegion))
        }
        if let rejoin = rejoinProblem(macVersion: macVersion) { problems.append(rejoin) }
        return problems
    }

    /// The problems of the three RXParamSetupReq fields in `region` (§5.5: a device refuses an offset,
    /// data rate or frequency its region does not define).
    func rxParameterProblems(_ region: RegionalParameters) -> [DesiredMACSettingsError] {
        var problems: [DesiredMACSettingsError] = []
        if let rx1DROffset, rx1DROffset.rawValue > region.maxRX1DataRateOffset {
            problems.append(.init(.rx1DROffset, "\(region.region) allows RX1DROffset 0 to \(region.maxRX1DataRateOffset)"))
        }
        if let rx2DataRate, (try? region.dataRate(rx2DataRate, direction: .downlink)) == nil {
            problems.append(.init(.rx2DataRate, "\(rx2DataRate) is not a downlink data rate in \(region.region)"))
        }
        if let rx2Frequency, let reason = Self.frequencyProblem(rx2Frequency, in: region) {
            problems.append(.init(.rx2Frequency, reason))
        }
        return problems
    }

    /// The problems of the wished channels in `region` (RP002-1.0.3 §2.x.2, LoRaWAN 1.1 §5.7): only
    /// dynamic plans define channels, the defaults cannot be changed, an index is at most the plan's
    /// maximum, a frequency lies in the band, and the data rates are the region's uplink ones.
    func channelProblems(_ region: RegionalParameters) -> [DesiredMACSettingsError] {
        guard !channels.isEmpty else { return [] }
        guard case .dynamic(let defaults, let maxChannels) = region.uplinkChannelPlan else {
            return [.init(.channelIndex(position: 0), "\(region.region) has a fixed channel plan: its channels cannot be defined, only enabled")]
        }
        var problems: [DesiredMACSettingsError] = []
        var seen: Set<Int> = []
        for (position, channel) in channels.enumerated() {
            if !(defaults.count..<maxChannels).contains(channel.index) {
                let rule = "\(region.region) channels \(defaults.count) to \(maxChannels - 1) can be defined; 0 to \(defaults.count - 1) are its defaults"
                problems.append(.init(.channelIndex(position: position), rule))
            } else if !seen.insert(channel.index).inserted {
                problems.append(.init(.channelIndex(position: position), "channel \(channel.index) is listed twice"))
            }
            if let reason = Self.frequencyProblem(channel.frequency, in: region) {
                problems.append(.init(.channelFrequency(position: position), reason))
            }
            if !Self.isUplinkDataRate(channel.dataRates.lowerBound, in: region) {
                problems.append(.init(.channelMinDataRate(position: position),
                                      "\(channel.dataRates.lowerBound) is not an uplink data rate in \(region.region)"))
            }
            if !Self.isUplinkDataRate(channel.dataRates.upperBound, in: region) {
                problems.append(.init(.channelMaxDataRate(position: position),
                                      "\(channel.dataRates.upperBound) is not an uplink data rate in \(region.region)"))
            }
        }
        return problems
    }

    func rejoinProblem(macVersion: MACVersion) -> DesiredMACSettingsError? {
        guard rejoin != nil, !macVersion.hasSeparateNetworkRootKey else { return nil }
        return .init(.rejoin, "RejoinParamSetupReq is LoRaWAN 1.1 only; the device speaks \(macVersion)")
    }

    /// MAC commands carry frequencies in 100 Hz units (§5.5, §5.7); the device refuses one outside its band.
    static func frequencyProblem(_ frequency: Frequency, in region: RegionalParameters) -> String? {
        guard region.frequencyRange.contains(frequency) else {
            return "\(frequency) is outside the \(region.region) band \(region.frequencyRange.lowerBound) to \(region.frequencyRange.upperBound)"
        }
        guard (try? ChannelFrequency(hertz: frequency.hertz)) != nil else { return "a frequency is a multiple of 100 Hz" }
        return nil
    }

    static func isUplinkDataRate(_ dataRate: DataRateIndex, in region: RegionalParameters) -> Bool {
        (try? region.dataRate(dataRate, direction: .uplink)) != nil
    }
}
