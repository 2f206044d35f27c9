import LoRaWAN

/// Where and how fast a virtual device transmits: its region's uplink channels, which of them are
/// enabled, its data rate, and which frequencies the gateway it sits beside actually hears.
///
/// A device starts with the region's default channels (EU868: 868.1/868.3/868.5 MHz; US915: all 72),
/// gains the CFList channels of its join-accept, and follows LinkADRReq and NewChannelReq. Uplinks go
/// round-robin over the enabled channels that the gateway hears and that allow the current data rate;
/// the channel's index is the TxCh of the LoRaWAN 1.1 uplink MIC.
public struct VirtualDeviceChannelPlan: Sendable, Equatable {
    public let parameters: RegionalParameters
    /// Every channel the device has defined, in index order.
    public private(set) var channels: [RegionalChannel]
    /// Indices of the enabled channels.
    public private(set) var enabled: Set<Int>
    /// The data rate uplinks use.
    public private(set) var dataRate: DataRateIndex
    /// The LinkADRReq TXPower index in effect (0 = the region's maximum EIRP).
    public private(set) var txPower: UInt8 = 0
    /// The frequencies the gateway hears (from its `router_config`); `nil` when unknown, then every
    /// enabled channel is used.
    public private(set) var audibleFrequencies: Set<Frequency>?
    /// The channels an uplink may use now: enabled, heard, allowing `dataRate`. Cached because it is
    /// read for every frame and changes only with a MAC command or a join.
    private var usable: [RegionalChannel] = []
    private var cursor = 0

    public init(region: Region) {
        parameters = region.parameters
        channels = parameters.uplinkChannelPlan.defaultChannels
        enabled = Set(channels.map(\.index))
        dataRate = Self.initialDataRate(parameters)
        refreshUsable()
    }

    /// The fastest LoRa uplink data rate of the region's first default channel (EU868 DR5, US915 DR3):
    /// short airtime, as a device next to its gateway would end up with after ADR.
    static func initialDataRate(_ parameters: RegionalParameters) -> DataRateIndex {
        guard let first = parameters.uplinkChannelPlan.defaultChannels.first else { return .dr0 }
        let candidates = DataRateIndex.allCases.filter { index in
            guard first.dataRates.contains(index), let rate = parameters.dataRate(index), rate.usage.allows(.uplink) else {
                return false
            }
            if case .lora = rate.modulation { return true }
            return false
        }
        return candidates.last ?? first.dataRates.lowerBound
    }

    /// Limits uplinks to the frequencies the gateway hears (`nil`: no limit).
    public mutating func restrict(toFrequencies frequencies: Set<Frequency>?) {
        audibleFrequencies = frequencies
        refreshUsable()
    }

    /// Back to the region's defaults plus the join-accept's CFList (LoRaWAN 1.1 §6.2.4: a join resets
    /// the channel plan; RP002-1.0.3 §2.x.4 for the CFList).
    mutating func reset(cfList: RegionalCFList?) {
        channels = parameters.uplinkChannels(cfList: cfList)
        switch cfList {
        case .channelMask(let mask)?:
            enabled = Set(channels.map(\.index).filter(mask.isEnabled))
        default:
            enabled = Set(channels.map(\.index))
        }
        dataRate = Self.initialDataRate(parameters)
        txPower = 0
        cursor = 0
        refreshUsable()
    }

    /// The channel for the next uplink, or `nil` when none is usable.
    mutating func nextUplinkChannel() -> RegionalChannel? {
        guard !usable.isEmpty else { return nil }
        defer { cursor = (cursor + 1) % usable.count }
        return usable[cursor % usable.count]
    }

    /// The channel for a join-request: a default channel the gateway hears at the current data rate
    /// (join-requests go out on the default channels, RP002-1.0.3 §2.4.2).
    mutating func nextJoinChannel() -> RegionalChannel? {
        let defaults = parameters.uplinkChannelPlan.defaultChannels.filter(isUsable)
        guard !defaults.isEmpty else { return nil }
        defer { cursor &+= 1 }
        return defaults[cursor % defaults.count]
    }

    func channel(_ index: Int) -> RegionalChannel? { channels.first { $0.index == index } }

    private func isUsable(_ channel: RegionalChannel) -> Bool {
        channel.dataRates.contains(dataRate) && (audibleFrequencies?.contains(channel.frequency) ?? true)
    }

    private mutating func refreshUsable() {
        usable = channels.filter { enabled.contains($0.index) && isUsable($0) }
    }
}

// MARK: MAC commands that change the plan

extension VirtualDeviceChannelPlan {
    /// Applies a block of contiguous LinkADRReqs as one (LoRaWAN 1.1 §5.3.1): the channel masks in
    /// order, then the DataRate and TXPower of the last command. Nothing changes unless every part is
    /// acceptable; the status says which parts were.
    mutating func applyLinkADR(_ requests: [LinkADRRequest]) -> LinkADRAnswerStatus {
        guard let last = requests.last else { return [] }
        var mask = enabled
        var maskOK = true
        for request in requests {
            guard let next = Self.apply(request, to: mask, defined: Set(channels.map(\.index)), parameters: parameters) else {
                maskOK = false
                break
            }
            mask = next
        }
        // A mask that switches every channel off is refused (LoRaWAN 1.1 §5.3.1).
        if mask.isEmpty { maskOK = false }
        let newRate = last.dataRate == .dr15 ? dataRate : last.dataRate
        let rateOK = parameters.dataRate(newRate)?.usage.allows(.uplink) == true
            && channels.contains { mask.contains($0.index) && $0.dataRates.contains(newRate) }
        let powerOK = last.txPower == 15 || parameters.eirp(txPower: last.txPower) != nil
        var status: LinkADRAnswerStatus = []
        if maskOK { status.insert(.channelMaskACK) }
        if rateOK { status.insert(.dataRateACK) }
        if powerOK { status.insert(.powerACK) }
        guard status.isAccepted else { return status }
        enabled = mask
        dataRate = newRate
        if last.txPower != 15 { txPower = last.txPower }
        refreshUsable()
        return status
    }

    /// NewChannelReq (LoRaWAN 1.1 §5.7): defines, redefines or (frequency 0) removes a channel above the
    /// region's defaults. Fixed plans (US915, AU915) do not implement it.
    mutating func applyNewChannel(index: UInt8, frequency: ChannelFrequency, drRange: DataRateRange) -> NewChannelAnswerStatus {
        guard case .dynamic(let defaults, let maxChannels) = parameters.uplinkChannelPlan else { return [] }
        let index = Int(index)
        let modifiable = index >= defaults.count && index < maxChannels
        let frequencyOK = modifiable
            && (frequency.hertz == 0 || parameters.frequencyRange.contains(Frequency(hertz: frequency.hertz)))
        let rangeOK = modifiable && drRange.minDR <= drRange.maxDR
            && parameters.dataRate(drRange.minDR) != nil && parameters.dataRate(drRange.maxDR) != nil
        var status: NewChannelAnswerStatus = []
        if frequencyOK { status.insert(.channelFrequencyOK) }
        if rangeOK || (frequency.hertz == 0 && modifiable) { status.insert(.dataRateRangeOK) }
        guard status.isAccepted else { return status }
        channels.removeAll { $0.index == index }
        if frequency.hertz == 0 {
            enabled.remove(index)
        } else {
            channels.append(RegionalChannel(
                index: index, frequency: Frequency(hertz: frequency.hertz), dataRates: drRange.minDR ... drRange.maxDR))
            channels.sort { $0.index < $1.index }
            enabled.insert(index)
        }
        refreshUsable()
        return status
    }

    /// DlChannelReq (LoRaWAN 1.1 §5.7): the device only checks it; downlinks come from the gateway anyway.
    func checkDownlinkChannel(index: UInt8, frequency: ChannelFrequency) -> DlChannelAnswerStatus {
        var status: DlChannelAnswerStatus = []
        if parameters.frequencyRange.contains(Frequency(hertz: frequency.hertz)) { status.insert(.channelFrequencyOK) }
        if channel(Int(index)) != nil { status.insert(.uplinkFrequencyExists) }
        return status
    }

    /// The channels enabled after one ChMaskCntl/ChMask pair, or `nil` when ChMaskCntl is RFU in the
    /// region (RP002-1.0.3 §2.4.5, §2.5.5).
    private static func apply(
        _ request: LinkADRRequest, to enabled: Set<Int>, defined: Set<Int>, parameters: RegionalParameters
    ) -> Set<Int>? {
        guard let scope = parameters.channelMaskScope(chMaskCntl: request.chMaskCntl) else { return nil }
        var result = enabled
        func set(_ channel: Int, _ on: Bool) {
            if on { result.insert(channel) } else { result.remove(channel) }
        }
        let bit = { (index: Int) in request.chMask & (1 << UInt16(index)) != 0 }
        switch scope {
        case .channels(let range):
            for (offset, channel) in range.prefix(16).enumerated() {
                // A bit for a channel the device has not defined must be 0 (LoRaWAN 1.1 §5.3.1).
                if bit(offset) && !defined.contains(channel) { return nil }
                set(channel, bit(offset))
            }
        case .allDefinedChannelsOn:
            result = defined
        case .banksOfEight:
            for bank in 0..<8 {
                for channel in (8 * bank)..<(8 * bank + 8) { set(channel, bit(bank)) }
                set(64 + bank, bit(bank))
            }
        case .all125kHzOnMasking500kHz, .all125kHzOffMasking500kHz:
            let on = scope == .all125kHzOnMasking500kHz
            for channel in 0..<64 { set(channel, on) }
            for index in 0..<8 { set(64 + index, bit(index)) }
        }
        return result.intersection(defined)
    }
}

/// The fields of one LinkADRReq that a device acts on.
struct LinkADRRequest: Sendable, Equatable {
    var dataRate: DataRateIndex
    var txPower: UInt8
    var chMask: UInt16
    var chMaskCntl: UInt8
}
