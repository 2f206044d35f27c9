import LoRaWAN

/// How a simulated station presents itself and the radio conditions it reports.
public struct SimulatedStationOptions: Sendable, Equatable {
    /// `station` of the `version` message.
    public var stationVersion = "2.0.6(linux/gatehouse-sim)"
    public var model = "linux"
    /// RSSI (dBm) and SNR (dB) of a device next to the gateway; each device reports a fixed offset below
    /// them (from its DevEUI), so that devices differ but a run is reproducible.
    public var rssi = -57
    public var snr = 9.5
    /// How long `start()` waits for `router_config`.
    public var routerConfigTimeout: Duration = .seconds(10)
    /// Deliver a class A downlink to its device only when it answers the device's last uplink (`xtime`)
    /// with the device's RX1 delay, as a real device hears only its receive windows. Off: every
    /// downlink reaches the device it names.
    public var enforcesReceiveWindows = true

    public init() {}

    /// The radio conditions of `devEUI`'s frames.
    func signal(for devEUI: EUI64) -> (rssi: Int, snr: Double) {
        (rssi - Int(devEUI.rawValue % 16), snr - Double(devEUI.rawValue % 5))
    }
}
