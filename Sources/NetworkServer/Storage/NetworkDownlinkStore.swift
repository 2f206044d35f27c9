import BackendInterfaces
import Foundation
import LoRaWAN

/// Application downlinks waiting in the Network Server for a device's receive window, durable so a
/// restart loses none. `Storage` implements it on SQLite and PostgreSQL. The FRMPayloads are already
/// encrypted under the AppSKey by the Application Server; the Network Server cannot read them.
public protocol NetworkDownlinkStore: Sendable {
    func enqueue(_ downlink: ApplicationDownlink) async throws
    /// A device's queued downlinks, in FCnt order.
    func queued(devEUI: EUI64) async throws -> [ApplicationDownlink]
    /// Removes one downlink (sent, or dropped). `false` when it was not queued.
    func remove(id: UUID) async throws -> Bool
    /// Removes every queued downlink of a device; returns how many.
    func clear(devEUI: EUI64) async throws -> Int
}
