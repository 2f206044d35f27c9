/// The per-frame questions a Network Server asks of a region.
extension RegionalParameters {
    // MARK: Data rates

    /// The data rate with this index, or `nil` when the region leaves it RFU.
    public func dataRate(_ index: DataRateIndex) -> RegionalDataRate? {
        dataRates.first { $0.index == index }
    }

    /// The data rate with this index, checked for use in `direction`.
    public func dataRate(_ index: DataRateIndex,
                         direction: RegionalDataRate.Direction) throws(RegionalParametersError) -> RegionalDataRate {
        guard let rate = dataRate(index), rate.usage.allows(direction) else {
            throw .unknownDataRate(region, index)
        }
        return rate
    }

    /// The data rate index of a modulation in a direction: the reverse lookup that turns a gateway's
    /// SF/bandwidth into LoRaWAN's DR. The direction matters: SF8/500 kHz is DR4 up but DR12 down in
    /// US915.
    public func dataRate(for modulation: RegionalDataRate.Modulation,
                         direction: RegionalDataRate.Direction) throws(RegionalParametersError) -> DataRateIndex {
        guard let rate = dataRates.first(where: { $0.modulation == modulation && $0.usage.allows(direction) }) else {
            throw .noDataRateForModulation(region, modulation, direction)
        }
        return rate.index
    }

    /// The LoRa data rate index for a spreading factor and bandwidth in a direction.
    public func dataRate(forSpreadingFactor spreadingFactor: SpreadingFactor, bandwidth: LoRaBandwidth,
                         direction: RegionalDataRate.Direction) throws(RegionalParametersError) -> DataRateIndex {
        try dataRate(for: .lora(spreadingFactor, bandwidth), direction: direction)
    }

    // MARK: Payload sizes

    /// The largest MACPayload (M) and FRMPayload (N) at a data rate (RP002-1.0.3 §2.x.6).
    public func maxPayloadSize(dataRate: DataRateIndex,
                               dwellTime: DwellTimeLimit = .unlimited) throws(RegionalParametersError) -> MaxPayloadSize {
        guard self.dataRate(dataRate) != nil else { throw .unknownDataRate(region, dataRate) }
        guard let size = maxPayloadSizes.size(for: dataRate, dwellTime: dwellTime) else {
            throw .dataRateNotAllowedUnderDwellTime(region, dataRate)
        }
        return size
    }

    /// N: the largest FRMPayload at a data rate when FOpts is empty.
    public func maxApplicationPayloadSize(dataRate: DataRateIndex,
                                          dwellTime: DwellTimeLimit = .unlimited) throws(RegionalParametersError) -> Int {
        try maxPayloadSize(dataRate: dataRate, dwellTime: dwellTime).applicationPayload
    }

    // MARK: Receive windows

    /// The largest RX1DROffset the region allows (EU868 5, US915 3, AU915 5, AS923 7).
    public var maxRX1DataRateOffset: UInt8 { rx1DataRates.maxOffset }

    /// The data rate of RX1 for an uplink at `uplink` with the device's RX1DROffset
    /// (RP002-1.0.3 §2.x.7). `dwellTime` is the downlink dwell time, which only AS923 consults.
    public func rx1DataRate(uplink: DataRateIndex, offset: UInt8,
                            dwellTime: DwellTimeLimit = .unlimited) throws(RegionalParametersError) -> DataRateIndex {
        let table = dwellTime == .limited400ms ? rx1DataRatesUnderDwellTimeLimit : rx1DataRates
        guard let uplinkRate = dataRate(uplink), uplinkRate.usage.allows(.uplink), table.rows[uplink] != nil else {
            throw .unknownDataRate(region, uplink)
        }
        guard let downlink = table.downlinkDataRate(uplink: uplink, offset: offset) else {
            throw .rx1DataRateOffsetOutOfRange(region, offset: offset, maximum: table.maxOffset)
        }
        return downlink
    }

    /// The frequency of RX1 for an uplink. EU868 and AS923 answer on the uplink frequency; US915 and
    /// AU915 on 923.3 MHz + 600 kHz × (uplink channel mod 8). When `uplinkChannel` is `nil` it is
    /// looked up from the frequency; when given it must match the frequency.
    public func rx1Frequency(uplinkFrequency: Frequency,
                             uplinkChannel: Int? = nil) throws(RegionalParametersError) -> Frequency {
        switch rx1FrequencyRule {
        case .uplinkFrequency:
            return uplinkFrequency
        case .downlinkChannel(let downlink):
            let channel = try fixedUplinkChannel(frequency: uplinkFrequency, index: uplinkChannel)
            // RP002-1.0.3 §2.5.7: RX1 channel = uplink channel modulo 8.
            guard let rx1 = downlink.channel(downlink.firstIndex + channel.index % downlink.count) else {
                throw .unknownUplinkChannel(region, channel.index)
            }
            return rx1.frequency
        }
    }

    private func fixedUplinkChannel(frequency: Frequency,
                                    index: Int?) throws(RegionalParametersError) -> RegionalChannel {
        guard let index else {
            guard let channel = uplinkChannel(at: frequency) else {
                throw .unknownUplinkFrequency(region, frequency)
            }
            return channel
        }
        guard let channel = uplinkChannelPlan.defaultChannels.first(where: { $0.index == index }) else {
            throw .unknownUplinkChannel(region, index)
        }
        guard channel.frequency == frequency else {
            throw .channelFrequencyMismatch(region, channel: index, frequency: frequency)
        }
        return channel
    }

    // MARK: Channels

    /// The uplink channels a device has after a join-accept with `cfList`: the defaults plus the
    /// CFList's frequencies (dynamic plans), or every fixed channel (the mask says which are enabled,
    /// not which exist).
    public func uplinkChannels(cfList: RegionalCFList? = nil) -> [RegionalChannel] {
        let defaults = uplinkChannelPlan.defaultChannels
        guard case .dynamic = uplinkChannelPlan, case .frequencies(let list)? = cfList else { return defaults }
        // RP002-1.0.3 §2.4.4: CFList channels follow the defaults and allow DR0-DR5.
        return defaults + list.slots.enumerated().compactMap { slot, frequency in
            frequency.map { RegionalChannel(index: defaults.count + slot, frequency: $0, dataRates: .dr0 ... .dr5) }
        }
    }

    /// The uplink channel at `frequency` among the region's channels (and a CFList's), or `nil`.
    public func uplinkChannel(at frequency: Frequency, cfList: RegionalCFList? = nil) -> RegionalChannel? {
        if case .fixed(let grids) = uplinkChannelPlan {
            return grids.lazy.compactMap { $0.channel(at: frequency) }.first
        }
        return uplinkChannels(cfList: cfList).first { $0.frequency == frequency }
    }

    /// The index of the uplink channel at `frequency` (ChIndex in the LoRaWAN 1.1 uplink MIC, and
    /// the key of US915's RX1 rule), or `nil` when no channel is there.
    public func uplinkChannelIndex(for frequency: Frequency, cfList: RegionalCFList? = nil) -> Int? {
        uplinkChannel(at: frequency, cfList: cfList)?.index
    }

    // MARK: Power and channel masks

    /// The EIRP in dBm that a TXPower index stands for, or `nil` when the index is RFU.
    public func eirp(txPower: UInt8) -> Int? {
        guard Int(txPower) < txPowerOffsets.count else { return nil }
        return maxEIRP + txPowerOffsets[Int(txPower)]
    }

    /// What a LinkADRReq's ChMask applies to for this ChMaskCntl, or `nil` when the value is RFU.
    public func channelMaskScope(chMaskCntl: UInt8) -> ChannelMaskScope? {
        channelMaskScopes[chMaskCntl]
    }
}
