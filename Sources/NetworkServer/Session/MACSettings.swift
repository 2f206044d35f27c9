import LoRaWAN

/// The radio and MAC parameters the Network Server believes a device uses: what the join-accept (or
/// ABP provisioning) set, changed since only by MAC requests the device accepted (LoRaWAN 1.1 §5).
///
/// The Network Server never learns these from the device directly; it keeps its own copy in step by
/// applying a request only when the answer says it was applied. A wrong copy means downlinks in
/// windows the device does not open, so every change goes through `MACCommandResponder`.
public struct MACSettings: Sendable, Hashable {
    /// RECEIVE_DELAY1: seconds from the end of the uplink to RX1 (RXTimingSetupReq, join-accept RxDelay).
    public var rx1Delay: RXTimingDelay
    /// RX1DROffset (RXParamSetupReq, join-accept DLSettings).
    public var rx1DROffset: RX1DROffset
    public var rx2DataRate: DataRateIndex
    public var rx2Frequency: Frequency
    /// The uplink data rate the device uses now: the one its last uplink arrived at.
    public var dataRate: DataRateIndex
    /// The TXPower index the device accepted last (0: the region's maximum EIRP).
    public var txPower: TXPower
    /// How often the device sends each unconfirmed uplink (0 behaves as 1).
    public var nbTrans: NbTrans
    public var maxDutyCycle: MaxDutyCycle
    /// The uplink channels the device has defined, by index (defaults, CFList, NewChannelReq).
    public var uplinkChannels: [RegionalChannel]
    /// The indices of the defined channels the device may use (channel masks).
    public var enabledUplinkChannels: Set<Int>
    /// RX1 frequencies moved away from the uplink frequency with DlChannelReq, by uplink channel index.
    public var downlinkFrequencies: [Int: Frequency]
    /// TxParamSetupReq (AS923): dwell time limits and the maximum EIRP; `nil` EIRP is the region's.
    public var uplinkDwellTime: DwellTimeLimit
    public var downlinkDwellTime: DwellTimeLimit
    public var maxEIRP: MaxEIRP?
    /// ADRParamSetupReq; `nil` keeps the regional ADR_ACK_LIMIT and ADR_ACK_DELAY.
    public var adrAckLimitExponent: ADRAckLimitExponent?
    public var adrAckDelayExponent: ADRAckDelayExponent?
    /// RejoinParamSetupReq (1.1); `nil` until the device accepted one.
    public var rejoinMaxTimeN: RejoinMaxTimeN?
    public var rejoinMaxCountN: RejoinMaxCountN?
    /// PingSlotInfoReq (class B).
    public var pingSlotPeriodicity: PingSlotPeriodicity?
    /// DeviceModeInd (1.1 §18.1): the class the device says it operates in.
    public var deviceClass: DeviceModeClass

    public init(
        rx1Delay: RXTimingDelay, rx1DROffset: RX1DROffset, rx2DataRate: DataRateIndex, rx2Frequency: Frequency,
        dataRate: DataRateIndex, txPower: TXPower, nbTrans: NbTrans, maxDutyCycle: MaxDutyCycle,
        uplinkChannels: [RegionalChannel], enabledUplinkChannels: Set<Int>,
        downlinkFrequencies: [Int: Frequency] = [:], uplinkDwellTime: DwellTimeLimit = .unlimited,
        downlinkDwellTime: DwellTimeLimit = .unlimited, maxEIRP: MaxEIRP? = nil,
        adrAckLimitExponent: ADRAckLimitExponent? = nil, adrAckDelayExponent: ADRAckDelayExponent? = nil,
        rejoinMaxTimeN: RejoinMaxTimeN? = nil, rejoinMaxCountN: RejoinMaxCountN? = nil,
        pingSlotPeriodicity: PingSlotPeriodicity? = nil, deviceClass: DeviceModeClass = .classA
    ) {
        self.rx1Delay = rx1Delay
        self.rx1DROffset = rx1DROffset
        self.rx2DataRate = rx2DataRate
        self.rx2Frequency = rx2Frequency
        self.dataRate = dataRate
        self.txPower = txPower
        self.nbTrans = nbTrans
        self.maxDutyCycle = maxDutyCycle
        self.uplinkChannels = uplinkChannels
        self.enabledUplinkChannels = enabledUplinkChannels
        self.downlinkFrequencies = downlinkFrequencies
        self.uplinkDwellTime = uplinkDwellTime
        self.downlinkDwellTime = downlinkDwellTime
        self.maxEIRP = maxEIRP
        self.adrAckLimitExponent = adrAckLimitExponent
        self.adrAckDelayExponent = adrAckDelayExponent
        self.rejoinMaxTimeN = rejoinMaxTimeN
        self.rejoinMaxCountN = rejoinMaxCountN
        self.pingSlotPeriodicity = pingSlotPeriodicity
        self.deviceClass = deviceClass
    }

    /// What a device of `region` uses right after a join-accept with `rx1DROffset`, `rx2DataRate`
    /// (DLSettings), `rx1Delay` (RxDelay) and `cfList`; with the defaults, what it uses before any MAC
    /// command (RP002-1.0.3 §2.x: default channels, RX2, RECEIVE_DELAY1 = 1 s, all channels enabled).
    public static func defaults(
        for region: Region, rx1Delay: RXTimingDelay = RXTimingDelay(truncatingIfNeeded: 1),
        rx1DROffset: RX1DROffset = RX1DROffset(truncatingIfNeeded: RegionalDefaultSettings.rx1DataRateOffset),
        rx2DataRate: DataRateIndex? = nil, cfList: RegionalCFList? = nil
    ) -> MACSettings {
        let parameters = region.parameters
        let channels = parameters.uplinkChannels(cfList: cfList)
        var enabled = Set(channels.map(\.index))
        // RP002-1.0.3 §2.5.4: a type 1 CFList says which fixed channels stay enabled.
        if case .channelMask(let mask)? = cfList { enabled = Set(mask.enabledChannels).intersection(enabled) }
        return MACSettings(
            rx1Delay: rx1Delay, rx1DROffset: rx1DROffset, rx2DataRate: rx2DataRate ?? parameters.rx2.dataRate,
            rx2Frequency: parameters.rx2.frequency, dataRate: .dr0, txPower: TXPower(truncatingIfNeeded: 0),
            nbTrans: NbTrans(truncatingIfNeeded: 1), maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: 0),
            uplinkChannels: channels, enabledUplinkChannels: enabled)
    }

    /// The index of the device's uplink channel at `frequency`: ChIndex of the 1.1 uplink MIC (TxCh)
    /// and the key of DlChannelReq and the fixed-plan RX1 rule. `nil` when the device has no channel there.
    public func uplinkChannelIndex(for frequency: Frequency) -> Int? {
        uplinkChannels.first { $0.frequency == frequency }?.index
    }

    /// The uplink channel with `index`, if the device has defined it.
    public func uplinkChannel(_ index: Int) -> RegionalChannel? {
        uplinkChannels.first { $0.index == index }
    }
}
