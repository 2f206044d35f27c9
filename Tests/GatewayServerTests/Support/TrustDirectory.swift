import GatewayServer
import LoRaWAN
import Synchronization

/// A gateway directory that knows the EUIs it is given, or fails every lookup like an unreachable
/// database.
final class TrustDirectory: GatewayDirectory {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "the database is unreachable" }
    }

    private let registered: Mutex<Set<EUI64>>
    private let failing: Bool

    init(registered: Set<EUI64> = [], failing: Bool = false) {
        self.registered = Mutex(registered)
        self.failing = failing
    }

    func register(_ eui: EUI64) { registered.withLock { _ = $0.insert(eui) } }

    func isRegisteredGateway(_ eui: EUI64) async throws -> Bool {
        if failing { throw Unreachable() }
        return registered.withLock { $0.contains(eui) }
    }
}
