import LoRaWAN

/// A setting the Network Server changes with one MAC request on the operator's behalf: the unit in
/// which desired settings are planned, sent, answered and refused.
///
/// The cases are in the order the planner fills a downlink: the receive windows first (a device that
/// misses its windows hears nothing else), then the duty cycle, then channels, then rejoin limits.
public enum ReconciledSetting: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// RXTimingSetupReq: RECEIVE_DELAY1.
    case rx1Delay
    /// RXParamSetupReq: RX1DROffset, RX2 data rate and RX2 frequency, which one request sets together.
    case rxParameters
    /// DutyCycleReq.
    case maxDutyCycle
    /// NewChannelReq for one channel index.
    case channel(UInt8)
    /// RejoinParamSetupReq (LoRaWAN 1.1).
    case rejoinParameters

    /// The setting a request changes, `nil` for requests the planner never sends (LinkADRReq belongs
    /// to ADR, DevStatusReq asks rather than sets, the others are not planned).
    public init?(_ request: DownlinkMACCommand) {
        switch request {
        case .rxTimingSetupReq: self = .rx1Delay
        case .rxParamSetupReq: self = .rxParameters
        case .dutyCycleReq: self = .maxDutyCycle
        case .newChannelReq(let chIndex, _, _): self = .channel(chIndex)
        case .rejoinParamSetupReq: self = .rejoinParameters
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .rx1Delay: "RX1 delay"
        case .rxParameters: "RX parameters"
        case .maxDutyCycle: "max duty cycle"
        case .channel(let index): "channel \(index)"
        case .rejoinParameters: "rejoin parameters"
        }
    }
}
