import LoRaWAN

/// The Network Server's devices. `Storage` implements it on SQLite and PostgreSQL; infrastructure
/// failures are thrown, "not found" is `nil` or `false`.
public protocol NetworkDeviceRegistry: Sendable {
    func device(_ devEUI: EUI64) async throws -> NetworkDevice?
    /// Creates or replaces a device (by DevEUI). Its session, if any, is kept.
    func save(_ device: NetworkDevice) async throws
    /// Deletes a device with its session and queued downlinks. `false` when it does not exist.
    func delete(_ devEUI: EUI64) async throws -> Bool
    /// Devices ordered by DevEUI, starting after `after` (paging).
    func devices(after: EUI64?, limit: Int) async throws -> [NetworkDevice]
    /// A device's desired MAC settings alone, empty for a device without any (or not registered):
    /// what the uplink path reads, so an implementation may answer it more cheaply than ``device(_:)``.
    func desiredMACSettings(of devEUI: EUI64) async throws -> DesiredMACSettings
}

extension NetworkDeviceRegistry {
    public func desiredMACSettings(of devEUI: EUI64) async throws -> DesiredMACSettings {
        try await device(devEUI)?.desiredMACSettings ?? DesiredMACSettings()
    }
}
