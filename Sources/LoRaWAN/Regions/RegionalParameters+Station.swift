/// What LoRa Basics Station's `router_config` needs from a region (reference: basics-station-protocol
/// §3.4). Plain values; the LNS serialises them.
extension RegionalParameters {
    /// The name Basics Station expects in `region`.
    public var stationRegionName: String { region.stationName }

    /// The 16 `DRs` entries, index = DR. Derived from ``dataRates`` so there is one source of truth:
    /// LoRa and FSK rates as they are, with `dnonly` set for downlink-only rates; RFU and LR-FHSS
    /// (which an SX1301 cannot receive) as undefined.
    public var stationDataRates: [StationDataRate] {
        DataRateIndex.allCases.map { index in
            guard let rate = dataRate(index) else { return .undefined }
            let downlinkOnly = rate.usage == .downlinkOnly
            switch rate.modulation {
            case .lora(let sf, let bw): return .lora(sf, bw, downlinkOnly: downlinkOnly)
            case .fsk: return .fsk(downlinkOnly: downlinkOnly)
            case .lrFHSS: return .undefined
            }
        }
    }

    /// The uplink channels the ``defaultConcentrator`` hears, for `upchannels` (`[freq, minDR, maxDR]`):
    /// the region's default channels whose frequency is one of the concentrator's multi-SF channels,
    /// plus the channel of its LoRa standard channel. Data rates the concentrator cannot receive
    /// (LR-FHSS) are cut from each channel's range.
    public var stationUplinkChannels: [RegionalChannel] {
        var heard = Set(defaultConcentrator.multiSFFrequencies)
        if let std = defaultConcentrator.loraStandardChannel,
           let frequency = defaultConcentrator.frequency(radio: std.radio,
                                                         intermediateFrequency: std.intermediateFrequency) {
            heard.insert(frequency)
        }
        return uplinkChannelPlan.defaultChannels.compactMap { channel in
            guard heard.contains(channel.frequency) else { return nil }
            let receivable = DataRateIndex.allCases.filter { index in
                guard channel.dataRates.contains(index), let rate = dataRate(index) else { return false }
                if case .lrFHSS = rate.modulation { return false }
                return rate.usage.allows(.uplink)
            }
            guard let low = receivable.first, let high = receivable.last else { return nil }
            return RegionalChannel(index: channel.index, frequency: channel.frequency, dataRates: low ... high)
        }
    }
}
