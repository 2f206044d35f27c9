import LoRaWAN
import Synchronization

/// Sessions kept in memory after they are stored or first read, so decrypting an uplink needs no
/// query: a session's AppSKey never changes once stored (a new join makes a new session). The
/// Application Server holds AppSKeys in memory to use them anyway; storage keeps them sealed.
public final class CachingApplicationSessionStore: ApplicationSessionStore {
    private struct Key: Hashable {
        var devEUI: EUI64
        var sessionKeyID: [UInt8]
    }

    private let store: any ApplicationSessionStore
    private let capacity: Int
    private let sessions = Mutex<[Key: ApplicationSession]>([:])

    public init(_ store: any ApplicationSessionStore, capacity: Int = 500_000) {
        self.store = store
        self.capacity = capacity
    }

    public func store(_ session: ApplicationSession) async throws {
        try await store.store(session)
        remember(session)
    }

    public func store(_ batch: [ApplicationSession]) async throws {
        try await store.store(batch)
        for session in batch { remember(session) }
    }

    public func session(devEUI: EUI64, sessionKeyID: [UInt8]) async throws -> ApplicationSession? {
        let key = Key(devEUI: devEUI, sessionKeyID: sessionKeyID)
        if let session = sessions.withLock({ $0[key] }) { return session }
        guard let session = try await store.session(devEUI: devEUI, sessionKeyID: sessionKeyID) else { return nil }
        remember(session)
        return session
    }

    public func latestSession(devEUI: EUI64) async throws -> ApplicationSession? {
        try await store.latestSession(devEUI: devEUI)
    }

    public func deleteSessions(devEUI: EUI64) async throws {
        try await store.deleteSessions(devEUI: devEUI)
        sessions.withLock { sessions in sessions = sessions.filter { $0.key.devEUI != devEUI } }
    }

    private func remember(_ session: ApplicationSession) {
        sessions.withLock { sessions in
            if sessions.count >= capacity { sessions.removeAll(keepingCapacity: true) }
            sessions[Key(devEUI: session.devEUI, sessionKeyID: session.sessionKeyID)] = session
        }
    }
}
