import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Synchronization
@testable import Storage
import Testing

/// The Application Server's join path on a real database: AppSKeys of joins that arrive together are
/// group-committed, and every one is stored.
@Suite("Application Server joins on a real store")
struct ApplicationJoinStorageTests {
    static let kek = LabeledKEK(label: "as:as.test", bytes: Array(repeating: 0x5A, count: 16))!

    @Test("a join storm is group-committed and stores every session's AppSKey", arguments: Backend.available)
    func joinStorm(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let counted = BatchCountingSessionStore(store.applicationSessions)
            let joinService = AppSKeyAnswering(kek: Self.kek)
            let server = ApplicationServer(
                applicationServerID: ApplicationServerID("as.test")!, joinService: joinService, keks: KEKRing([Self.kek]),
                sessions: CachingApplicationSessionStore(counted), applications: store.applications,
                webhooks: WebhookDispatcher(outbox: store.webhookOutbox, transport: NoWebhookTransport(), applications: store.applications, logger: testLogger),
                events: EventStream(), logger: testLogger)
            // 300 devices join at once; 30 of them join twice (two sessions, both kept).
            let joins = (0..<330).map { n in
                ApplicationJoin(
                    devEUI: ApplicationFixture.devEUI(UInt64(n % 300)), joinEUI: EUI64(0x70B3_D57E_D000_0001), devAddr: DevAddr(0x2600_0000 + UInt32(n)),
                    sessionKeyID: Array("session-\(n)".utf8), macVersion: .v1_1, joinedAt: Fixture.time(n))
            }
            await withDiscardingTaskGroup { group in
                for join in joins { group.addTask { await server.joined(join) } }
            }

            let sizes = counted.batchSizes
            #expect(sizes.reduce(0, +) == joins.count)
            #expect(sizes.max() ?? 0 > 1, "joins that arrived together shared a transaction")
            // Read back from the database, not from the Application Server's memory.
            let reopened = try await database.open()
            for join in joins {
                let session = try await reopened.applicationSessions.session(devEUI: join.devEUI, sessionKeyID: join.sessionKeyID)
                #expect(session?.appSKey.exportBytes() == joinService.key(for: join).exportBytes(), "\(join.devEUI)")
                #expect(session?.devAddr == join.devAddr)
            }
            await reopened.close()
            #expect(try await countRows("application_sessions", in: store) == joins.count)
        }
    }
}

/// A Join Server that answers every `AppSKeyReq` with a key of its own for the session, wrapped
/// under the Application Server's KEK.
private struct AppSKeyAnswering: JoinService {
    let kek: LabeledKEK

    /// The session's AppSKey: derived from its SessionKeyID, so the test knows what to expect.
    func key(for join: ApplicationJoin) -> AppSKey { Self.key(sessionKeyID: join.sessionKeyID) }

    static func key(sessionKeyID: [UInt8]) -> AppSKey {
        var bytes = Array(sessionKeyID.suffix(16))
        bytes += Array(repeating: 0xA5, count: 16 - bytes.count)
        return AppSKey(bytes: bytes)!
    }

    func join(_ request: JoinReq) async throws(JoinServiceError) -> JoinAns {
        throw .unreachable("the Application Server never sends a JoinReq")
    }

    func appSKey(_ request: AppSKeyReq) async throws(JoinServiceError) -> AppSKeyAns {
        AppSKeyAns(
            header: request.header.answerHeader(), result: .success, devEUI: request.devEUI,
            appSKey: KeyEnvelope(wrapping: Self.key(sessionKeyID: request.sessionKeyID), under: kek), sessionKeyID: request.sessionKeyID)
    }

    func homeNS(_ request: HomeNSReq) async throws(JoinServiceError) -> HomeNSAns {
        throw .unreachable("not used by the Application Server")
    }
}

/// The session store, recording how many sessions each batch carried.
private final class BatchCountingSessionStore: ApplicationSessionStore {
    private let store: any ApplicationSessionStore
    private let sizes = Mutex<[Int]>([])

    init(_ store: any ApplicationSessionStore) { self.store = store }

    var batchSizes: [Int] { sizes.withLock { $0 } }

    func store(_ session: ApplicationSession) async throws { try await store([session]) }

    func store(_ batch: [ApplicationSession]) async throws {
        try await store.store(batch)
        sizes.withLock { $0.append(batch.count) }
    }

    func session(devEUI: EUI64, sessionKeyID: [UInt8]) async throws -> ApplicationSession? {
        try await store.session(devEUI: devEUI, sessionKeyID: sessionKeyID)
    }

    func latestSession(devEUI: EUI64) async throws -> ApplicationSession? { try await store.latestSession(devEUI: devEUI) }
    func deleteSessions(devEUI: EUI64) async throws { try await store.deleteSessions(devEUI: devEUI) }
}

/// Webhooks are not part of these tests: no application has any.
private struct NoWebhookTransport: WebhookTransport {
    func post(url: URL, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int { 204 }
}
