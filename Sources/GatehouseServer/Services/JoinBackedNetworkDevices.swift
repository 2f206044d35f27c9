import Foundation
import JoinServer
import LoRaWAN
import NetworkServer

/// The Network Server's devices when it runs beside the Join Server: a device registered with the Join
/// Server (created, imported, claimed or transferred in) is an OTAA device of this network too, in the
/// region of the gateway that hears it, class A; a Network Server record (region, class, ABP) made with
/// `device create --region/--class` or the API takes precedence.
struct JoinBackedNetworkDevices: NetworkDeviceRegistry {
    let network: any NetworkDeviceRegistry
    let join: any JoinDeviceRepository

    func device(_ devEUI: EUI64) async throws -> NetworkDevice? {
        if let device = try await network.device(devEUI) { return device }
        guard let device = try await join.device(devEUI), device.transferredAt == nil else { return nil }
        return NetworkDevice(
            devEUI: devEUI, joinEUI: device.joinEUI, macVersion: device.macVersion, region: nil, deviceClass: .classA, activation: .otaa,
            createdAt: device.createdAt)
    }

    /// Only a Network Server record can hold desired MAC settings: a device known to the Join Server
    /// alone has none, and asking the Join Server would cost a second query per uplink.
    func desiredMACSettings(of devEUI: EUI64) async throws -> DesiredMACSettings { try await network.desiredMACSettings(of: devEUI) }
    func save(_ device: NetworkDevice) async throws { try await network.save(device) }
    func delete(_ devEUI: EUI64) async throws -> Bool { try await network.delete(devEUI) }
    func devices(after: EUI64?, limit: Int) async throws -> [NetworkDevice] { try await network.devices(after: after, limit: limit) }
}
