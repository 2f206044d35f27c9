import LoRaWAN

/// Why the Network Server refuses an operator's MAC settings or ForceRejoinReq.
public enum MACSettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No such device is registered.
    case unknownDevice(EUI64)
    /// A desired value the device's region or version does not allow; nothing was stored.
    case invalid(DesiredMACSettingsError)
    /// ForceRejoinReq exists in LoRaWAN 1.1 only (§5.13).
    case forceRejoinNeedsLoRaWAN11(EUI64, MACVersion)
    /// A ForceRejoinReq data rate the session's region has no uplink for.
    case forceRejoinDataRate(DataRateIndex, Region)
    /// The device has not joined: there is no session to send anything in.
    case noSession(EUI64)
    /// The session kept changing under the request (uplinks arriving all the time); try again.
    case sessionBusy(EUI64)

    public var description: String {
        switch self {
        case .unknownDevice(let devEUI): "device \(devEUI) is not registered"
        case .invalid(let error): error.description
        case .forceRejoinNeedsLoRaWAN11(let devEUI, let version):
            "ForceRejoinReq is LoRaWAN 1.1 only; device \(devEUI) speaks \(version)"
        case .forceRejoinDataRate(let dataRate, let region): "\(dataRate) is not an uplink data rate in \(region)"
        case .noSession(let devEUI): "device \(devEUI) has no session: it has not joined"
        case .sessionBusy(let devEUI): "the session of device \(devEUI) kept changing; try again"
        }
    }
}
