import BackendInterfaces
import LoRaWAN

/// Which gateways heard each device last, best first: class C downlinks and application downlinks
/// queued between uplinks go out through them. Memory only: after a restart a class C device is
/// reachable again after its next uplink.
actor GatewaySightings {
    private var latest: [EUI64: [UplinkReception]] = [:]

    func record(_ devEUI: EUI64, _ receptions: [UplinkReception]) {
        latest[devEUI] = Array(receptions.prefix(4))
    }

    func receptions(of devEUI: EUI64) -> [UplinkReception] {
        latest[devEUI] ?? []
    }

    func forget(_ devEUI: EUI64) {
        latest.removeValue(forKey: devEUI)
    }
}
