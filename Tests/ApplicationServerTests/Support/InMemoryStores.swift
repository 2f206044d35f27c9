import ApplicationServer
import Foundation
import LoRaWAN
import Synchronization

/// The session store's contract in memory: the latest two sessions per device.
final class InMemorySessionStore: ApplicationSessionStore {
    private let sessions = Mutex<[EUI64: [ApplicationSession]]>([:])
    private let batches = Mutex<[Int]>([])
    let failing = Mutex(false)

    func store(_ session: ApplicationSession) async throws {
        try checkFailure()
        sessions.withLock { all in
            var list = all[session.devEUI, default: []].filter { $0.sessionKeyID != session.sessionKeyID }
            list.append(session)
            all[session.devEUI] = Array(list.suffix(2))
        }
    }

    func store(_ batch: [ApplicationSession]) async throws {
        try checkFailure()
        batches.withLock { $0.append(batch.count) }
        for session in batch { try await store(session) }
    }

    /// The size of each batch stored.
    var batchSizes: [Int] { batches.withLock { $0 } }

    func session(devEUI: EUI64, sessionKeyID: [UInt8]) async throws -> ApplicationSession? {
        try checkFailure()
        return sessions.withLock { $0[devEUI]?.first { $0.sessionKeyID == sessionKeyID } }
    }

    func latestSession(devEUI: EUI64) async throws -> ApplicationSession? {
        try checkFailure()
        return sessions.withLock { $0[devEUI]?.last }
    }

    func deleteSessions(devEUI: EUI64) async throws {
        try checkFailure()
        sessions.withLock { $0[devEUI] = nil }
    }

    var all: [ApplicationSession] { sessions.withLock { $0.values.flatMap { $0 } } }

    private func checkFailure() throws {
        if failing.withLock({ $0 }) { throw StoreDown() }
    }
}

struct StoreDown: Error, CustomStringConvertible {
    var description: String { "the store is down" }
}

/// Applications and device assignments in memory.
final class InMemoryApplicationRegistry: ApplicationRegistry {
    private let state = Mutex<(applications: [ApplicationID: Application], devices: [EUI64: ApplicationID])>(([:], [:]))

    init(_ applications: [Application] = [], devices: [EUI64: ApplicationID] = [:]) {
        state.withLock { state in
            for application in applications { state.applications[application.id] = application }
            state.devices = devices
        }
    }

    func application(_ id: ApplicationID) async throws -> Application? { state.withLock { $0.applications[id] } }

    func application(of devEUI: EUI64) async throws -> Application? {
        state.withLock { state in state.devices[devEUI].flatMap { state.applications[$0] } }
    }

    func save(_ application: Application) async throws { state.withLock { $0.applications[application.id] = application } }
    func applications() async throws -> [Application] {
        state.withLock { $0.applications.values.sorted { $0.id.rawValue < $1.id.rawValue } }
    }

    func delete(_ id: ApplicationID) async throws -> Bool {
        state.withLock { state in
            state.devices = state.devices.filter { $0.value != id }
            return state.applications.removeValue(forKey: id) != nil
        }
    }

    func assign(_ devEUI: EUI64, to application: ApplicationID) async throws -> Bool {
        state.withLock { state in
            guard state.applications[application] != nil else { return false }
            state.devices[devEUI] = application
            return true
        }
    }

    func unassign(_ devEUI: EUI64) async throws -> Bool { state.withLock { $0.devices.removeValue(forKey: devEUI) != nil } }

    func devices(of application: ApplicationID) async throws -> [EUI64] {
        state.withLock { $0.devices.filter { $0.value == application }.keys.sorted() }
    }
}

/// The outbox's contract in memory: claims lease a delivery by moving its due time.
final class InMemoryWebhookOutbox: WebhookOutbox {
    enum Status: Equatable {
        case pending
        case delivered
        case dead(String)
    }

    struct Row {
        var delivery: WebhookDelivery
        var status: Status
        var lastError: String?
    }

    private let rows = Mutex<[UUID: Row]>([:])
    private let order = Mutex<[UUID]>([])
    private let claims = Mutex<(calls: Int, claimed: Int)>((0, 0))

    func enqueue(_ deliveries: [WebhookDelivery]) async throws {
        rows.withLock { rows in
            for delivery in deliveries { rows[delivery.id] = Row(delivery: delivery, status: .pending) }
        }
        order.withLock { $0 += deliveries.map(\.id) }
    }

    func claimDue(at time: Date, limit: Int, leaseUntil: Date, excludingWebhooks: Set<UUID>) async throws -> [WebhookDelivery] {
        let ids = order.withLock { $0 }
        let claimed = rows.withLock { rows in
            var claimed: [WebhookDelivery] = []
            for id in ids where claimed.count < limit {
                guard var row = rows[id], row.status == .pending, row.delivery.nextAttemptAt <= time,
                    !excludingWebhooks.contains(row.delivery.webhookID)
                else { continue }
                row.delivery.nextAttemptAt = leaseUntil
                claimed.append(row.delivery)
                rows[id] = row
            }
            return claimed
        }
        claims.withLock { $0 = ($0.calls + 1, $0.claimed + claimed.count) }
        return claimed
    }

    /// Calls of `claimDue`, and the deliveries they returned in all.
    var claimCounts: (calls: Int, claimed: Int) { claims.withLock { $0 } }

    func markDelivered(_ ids: [UUID]) async throws { rows.withLock { rows in for id in ids { rows[id]?.status = .delivered } } }

    func reschedule(_ id: UUID, attempts: Int, nextAttemptAt: Date, lastError: String) async throws {
        rows.withLock { rows in
            rows[id]?.delivery.attempts = attempts
            rows[id]?.delivery.nextAttemptAt = nextAttemptAt
            rows[id]?.lastError = lastError
        }
    }

    func markDead(_ id: UUID, attempts: Int, reason: String) async throws {
        rows.withLock { rows in
            rows[id]?.delivery.attempts = attempts
            rows[id]?.status = .dead(reason)
        }
    }

    var all: [Row] {
        let ids = order.withLock { $0 }
        return rows.withLock { rows in ids.compactMap { rows[$0] } }
    }

    func row(_ id: UUID) -> Row? { rows.withLock { $0[id] } }
}
