import LoRaWAN

/// The CFList a join-accept carries in a region, so devices use every channel a standard gateway of the
/// region listens on: for dynamic plans (EU868...) the concentrator's extra multi-SF frequencies beyond
/// the default channels (867.1-867.9 MHz in EU868); for fixed plans (US915...) the mask of the channels
/// the concentrator hears.
enum JoinChannelPlan {
    static func cfList(for region: Region) -> RegionalCFList? {
        let parameters = region.parameters
        switch parameters.cfListKind {
        case .frequencies:
            let defaults = Set(parameters.uplinkChannelPlan.defaultChannels.map(\.frequency))
            var extra: [Frequency] = []
            for frequency in parameters.defaultConcentrator.multiSFFrequencies where !defaults.contains(frequency) && !extra.contains(frequency) {
                extra.append(frequency)
            }
            guard !extra.isEmpty else { return nil }
            return try? parameters.cfList(frequencies: Array(extra.sorted { $0.hertz < $1.hertz }.prefix(5)))
        case .channelMask:
            let heard = parameters.stationUplinkChannels.map(\.index)
            guard !heard.isEmpty else { return nil }
            return try? parameters.cfList(enabledChannels: heard)
        }
    }
}
