import LoRaWAN

/// The MAC and radio parameters an operator wants a device to use. The Network Server brings the
/// device there over the air (RXParamSetupReq, RXTimingSetupReq, DutyCycleReq, NewChannelReq and, for
/// LoRaWAN 1.1, RejoinParamSetupReq) and keeps what the device accepted in ``MACSettings``: The Things
/// Stack's desired and current MAC state.
///
/// A `nil` field (or an empty channel list) is no wish: the device keeps what it has. The settings
/// belong to the device, not to its session, so they outlive a rejoin. They are checked against the
/// device's region and LoRaWAN version when they are set (``validate(region:macVersion:)``), so a
/// value the device could only refuse is refused to the operator instead.
public struct DesiredMACSettings: Sendable, Hashable {
    /// RX1DROffset (RXParamSetupReq).
    public var rx1DROffset: RX1DROffset?
    /// The RX2 data rate (RXParamSetupReq).
    public var rx2DataRate: DataRateIndex?
    /// The RX2 frequency (RXParamSetupReq).
    public var rx2Frequency: Frequency?
    /// RECEIVE_DELAY1 (RXTimingSetupReq), 1 to 15 s.
    public var rx1Delay: RXTimingDelay?
    /// The aggregated duty cycle limit 1/2^MaxDutyCycle (DutyCycleReq).
    public var maxDutyCycle: MaxDutyCycle?
    /// Uplink channels to define beyond the region's default ones (NewChannelReq, dynamic channel plans
    /// only), in the order the operator gave them. Channels not listed are left as they are.
    public var channels: [RegionalChannel]
    /// Periodic rejoin-request limits (RejoinParamSetupReq, LoRaWAN 1.1 only).
    public var rejoin: DesiredRejoinParameters?

    public init(
        rx1DROffset: RX1DROffset? = nil, rx2DataRate: DataRateIndex? = nil, rx2Frequency: Frequency? = nil,
        rx1Delay: RXTimingDelay? = nil, maxDutyCycle: MaxDutyCycle? = nil, channels: [RegionalChannel] = [],
        rejoin: DesiredRejoinParameters? = nil
    ) {
        self.rx1DROffset = rx1DROffset
        self.rx2DataRate = rx2DataRate
        self.rx2Frequency = rx2Frequency
        self.rx1Delay = rx1Delay
        self.maxDutyCycle = maxDutyCycle
        self.channels = channels
        self.rejoin = rejoin
    }

    /// No wish at all: nothing to send, nothing to store.
    public var isEmpty: Bool { self == DesiredMACSettings() }

    /// Whether any of the three RXParamSetupReq fields is wished for.
    public var wantsRXParameters: Bool { rx1DROffset != nil || rx2DataRate != nil || rx2Frequency != nil }
}

/// RejoinParamSetupReq's two limits (LoRaWAN 1.1 §5.14): a rejoin-request type 0 at least every
/// 2^(MaxTimeN + 10) seconds and every 2^(MaxCountN + 4) uplinks.
public struct DesiredRejoinParameters: Sendable, Hashable {
    public var maxTimeN: RejoinMaxTimeN
    public var maxCountN: RejoinMaxCountN

    public init(maxTimeN: RejoinMaxTimeN, maxCountN: RejoinMaxCountN) {
        self.maxTimeN = maxTimeN
        self.maxCountN = maxCountN
    }
}
