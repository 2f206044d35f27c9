import BackendInterfaces
import LoRaWAN
import Synchronization

/// The Application Server's downlink side needs the Network Server's queue, and the Network Server
/// needs the Application Server's handler: one of the two must be handed over after both exist. This
/// is that hand-over for the queue; until it is connected (only during start-up) every call throws.
final class NetworkDownlinkQueueHandOver: ApplicationDownlinkQueue {
    private let target = Mutex<(any ApplicationDownlinkQueue)?>(nil)

    func connect(_ queue: any ApplicationDownlinkQueue) {
        target.withLock { $0 = queue }
    }

    private func queue() throws -> any ApplicationDownlinkQueue {
        guard let queue = target.withLock({ $0 }) else { throw NotConnected() }
        return queue
    }

    func reserveDownlinkCounter(devEUI: EUI64) async throws -> DownlinkCounterReservation {
        try await queue().reserveDownlinkCounter(devEUI: devEUI)
    }
    func enqueue(_ downlink: ApplicationDownlink) async throws { try await queue().enqueue(downlink) }
    func queued(devEUI: EUI64) async throws -> [ApplicationDownlink] { try await queue().queued(devEUI: devEUI) }
    func clear(devEUI: EUI64) async throws { try await queue().clear(devEUI: devEUI) }

    struct NotConnected: Error, CustomStringConvertible {
        var description: String { "the Network Server is not started yet" }
    }
}
