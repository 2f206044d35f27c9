import LoRaWAN

/// Why a simulated station could not do what it was asked, each with a sentence.
public enum SimulatedStationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection to the LNS failed or closed.
    case connection(StationConnectionError)
    /// `/router-info` answered with an error or without a usable traffic URI (basics-station-protocol §3.2).
    case discoveryRefused(String)
    /// The LNS address is not `wss://host:port` (or the traffic URI is not a `wss` URI with a port).
    case invalidLNSAddress(String)
    /// The `router_config` is one the station would refuse, closing the connection.
    case routerConfigRejected(String)
    /// The LNS sent no `router_config` in time after `version`.
    case routerConfigTimedOut
    /// A `dnmsg` the station cannot read.
    case malformedDownlink(String)
    /// The station has not received its `router_config` yet (it sends nothing before).
    case notStarted
    /// No device with this DevEUI is on the station.
    case unknownDevice(EUI64)
    /// A device with this DevEUI is already on the station.
    case duplicateDevice(EUI64)
    /// The device already waits for a join-accept.
    case joinInProgress(EUI64)
    /// No acceptable join-accept arrived in the time given; `refusal` is why the device refused the last
    /// join-accept it did receive, if any (a forged or mis-signed one).
    case joinTimedOut(EUI64, refusal: VirtualDeviceError?)
    /// The device refused to build a frame.
    case device(VirtualDeviceError)
    /// The station built a frame it could not describe in JSON (a bug in the simulator).
    case unencodableFrame(String)
    /// The waiting task was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .connection(let error): "the LNS connection failed: \(error)"
        case .discoveryRefused(let reason): "router-info discovery failed: \(reason)"
        case .invalidLNSAddress(let reason): "invalid LNS address: \(reason)"
        case .routerConfigRejected(let reason): "the station refuses the router_config: \(reason)"
        case .routerConfigTimedOut: "the LNS sent no router_config after version"
        case .malformedDownlink(let reason): "the station cannot read the dnmsg: \(reason)"
        case .notStarted: "the station has no router_config yet"
        case .unknownDevice(let devEUI): "device \(devEUI) is not on this station"
        case .duplicateDevice(let devEUI): "device \(devEUI) is already on this station"
        case .joinInProgress(let devEUI): "device \(devEUI) is already waiting for a join-accept"
        case .joinTimedOut(let devEUI, let refusal?):
            "device \(devEUI) received no acceptable join-accept in time; it refused one: \(refusal)"
        case .joinTimedOut(let devEUI, nil): "device \(devEUI) received no join-accept in time"
        case .device(let error): "\(error)"
        case .unencodableFrame(let reason): "the station cannot describe the frame: \(reason)"
        case .cancelled: "cancelled"
        }
    }
}
