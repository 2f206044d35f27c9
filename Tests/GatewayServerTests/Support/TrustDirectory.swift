import GatewayServer
import LoRaWAN
import Synchronization

/// A gateway directory that knows the EUIs it is given, or fails every lookup like an unreachable
/// database. By default it answers only when asked to wait, like a directory backed by storage;
/// with `inMemory` it answers immediately, like one that holds the gateway in memory.
final class TrustDirectory: GatewayDirectory {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "the database is unreachable" }
    }

    private let registered: Mutex<Set<EUI64>>
    private let failing: Bool
    private let inMemory: Bool
    private let lookups = Mutex(0)

    init(registered: Set<EUI64> = [], failing: Bool = false, inMemory: Bool = false) {
        self.registered = Mutex(registered)
        self.failing = failing
        self.inMemory = inMemory
    }

    func register(_ eui: EUI64) { registered.withLock { _ = $0.insert(eui) } }

    /// How many times a handshake had to wait for this directory.
    var lookupCount: Int { lookups.withLock { $0 } }

    func isRegisteredGateway(_ eui: EUI64) async throws -> Bool {
        lookups.withLock { $0 += 1 }
        if failing { throw Unreachable() }
        return registered.withLock { $0.contains(eui) }
    }

    func knownRegistration(of eui: EUI64) -> Bool? {
        guard inMemory, !failing else { return nil }
        return registered.withLock { $0.contains(eui) }
    }
}
