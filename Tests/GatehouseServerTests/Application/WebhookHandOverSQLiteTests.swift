import ApplicationServer
import Foundation
import GatehouseServer
import Logging
import Storage
import Synchronization
import Testing

/// The webhook dispatcher's two paths, in-memory hand-over and outbox claims, on one real SQLite file
/// opened by several stores (as several instances, or a process and its restart, would), delivering to
/// the production receiver: each event arrives exactly once.
@Suite("Webhook hand-over on SQLite")
struct WebhookHandOverSQLiteTests {
    static let keyEncryptionKey = try! KeyEncryptionKey(bytes: Array(repeating: 0x42, count: 32))
    static let applicationID = ApplicationID("fleet")!

    static var quiet: Logger {
        var logger = Logger(label: "hand-over-tests")
        logger.logLevel = .critical
        return logger
    }

    /// One store on the shared file with its dispatcher: an instance of the server.
    struct Instance {
        let store: GatehouseStore
        let dispatcher: WebhookDispatcher
        let transport: HTTPWebhookTransport?

        static func open(_ directory: String, lease: Duration, transport: (any WebhookTransport)? = nil) async throws -> Instance {
            let store = try await GatehouseStore.open(.embedded(dataDirectory: directory), keyEncryptionKey: keyEncryptionKey, logger: quiet)
            let configuration = WebhookDispatcherConfiguration(lease: lease, pollInterval: .milliseconds(50))
            let http = transport == nil ? HTTPWebhookTransport(configuration: HTTPWebhookTransportConfiguration().fitting(configuration), logger: quiet) : nil
            let dispatcher = WebhookDispatcher(
                outbox: store.webhookOutbox, transport: transport ?? http!, applications: CachingApplicationRegistry(store.applications),
                configuration: configuration, logger: quiet)
            return Instance(store: store, dispatcher: dispatcher, transport: http)
        }

        func close() async {
            await transport?.shutdown()
            await store.close()
        }
    }

    static func event(_ n: Int) -> ApplicationEvent {
        .error(ApplicationErrorEvent(applicationID: applicationID, devEUI: nil, devAddr: nil, code: .malformedFrame, detail: "event \(n)", time: Date()))
    }

    static func application(webhook url: URL, secret: WebhookSecret) throws -> Application {
        Application(id: applicationID, name: "Fleet", webhooks: [try Webhook(id: UUID(), url: url)], webhookSecret: secret, createdAt: Date())
    }

    /// The deliveries still in the outbox (claiming them is harmless: the test is over).
    static func remaining(in store: GatehouseStore) async throws -> Int {
        let farFuture = Date().addingTimeInterval(3 * 86_400)
        return try await store.webhookOutbox.claimDue(at: farFuture, limit: 10_000, leaseUntil: farFuture, excludingWebhooks: []).count
    }

    @Test("two running instances and a process that only queues: every event is delivered once")
    func instancesShareTheOutbox() async throws {
        let directory = try TemporaryDirectory()
        let secret = WebhookSecret.generate()
        try await withLocalWebhookReceiver(secret: secret) { received, url in
            let first = try await Instance.open(directory.path, lease: .seconds(120))
            let second = try await Instance.open(directory.path, lease: .seconds(120))
            // Like the CLI beside a server: it queues, and never runs a dispatcher.
            let queueOnly = try await Instance.open(directory.path, lease: .seconds(120))
            let application = try Self.application(webhook: url, secret: secret)
            try await first.store.applications.save(application)

            let runs = [Task { await first.dispatcher.run() }, Task { await second.dispatcher.run() }]
            try await Task.sleep(for: .milliseconds(200))
            let perQueuer = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, instance) in [first, second, queueOnly].enumerated() {
                    for n in 0..<perQueuer {
                        group.addTask { try await instance.dispatcher.enqueue(Self.event(index * 1000 + n), for: application) }
                    }
                }
                try await group.waitForAll()
            }
            try await received.waitFor(3 * perQueuer)
            // Several polls of both instances: time for a second delivery of anything, if there were one.
            try await Task.sleep(for: .seconds(1))

            for run in runs { run.cancel() }
            for run in runs { await run.value }
            let bodies = received.all.map { String(decoding: $0, as: UTF8.self) }
            #expect(bodies.count == 3 * perQueuer)
            #expect(Set(bodies).count == bodies.count, "an event was delivered twice")
            #expect(received.receiver.refused == 0)
            #expect(try await Self.remaining(in: queueOnly.store) == 0)
            for instance in [first, second, queueOnly] { await instance.close() }
        }
    }

    @Test("a process that dies holding handed-over deliveries: after the restart each is delivered once, after the lease")
    func restartAfterTheLease() async throws {
        let directory = try TemporaryDirectory()
        let secret = WebhookSecret.generate()
        try await withLocalWebhookReceiver(secret: secret) { received, url in
            let lease = Duration.seconds(6)
            let hanging = HangingTransport()
            let dying = try await Instance.open(directory.path, lease: lease, transport: hanging)
            let application = try Self.application(webhook: url, secret: secret)
            try await dying.store.applications.save(application)
            let dyingRun = Task { await dying.dispatcher.run() }
            try await Task.sleep(for: .milliseconds(200))

            let count = 20
            let queuedAt = ContinuousClock.now
            for n in 0..<count { try await dying.dispatcher.enqueue(Self.event(n), for: application) }
            let deadline = ContinuousClock.now + .seconds(60)
            while hanging.attempts < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            // More when the machine is so slow that leases ended meanwhile and the process claimed its
            // own deliveries again (its hanging attempts break the transport's bound of half a lease).
            #expect(hanging.attempts >= count, "the first process was attempting every delivery when it died")
            // It dies: nothing it does from now on reaches the database.
            await dying.store.close()

            // The dead process's short lease decides when its deliveries are free; the new one leases
            // what it claims for long enough that, on a loaded machine, no attempt of its own outlives
            // its lease or times out (a retry after a lost answer is a legitimate second delivery).
            let restarted = try await Instance.open(directory.path, lease: .seconds(120))
            let restartedRun = Task { await restarted.dispatcher.run() }
            try await Task.sleep(for: .seconds(1))
            if ContinuousClock.now - queuedAt < lease - .seconds(1) {
                #expect(received.all.isEmpty, "a delivery leased to the dead process was sent before its lease ended")
            }
            try await received.waitFor(count)
            try await Task.sleep(for: .seconds(1))

            restartedRun.cancel()
            await restartedRun.value
            let bodies = received.all.map { String(decoding: $0, as: UTF8.self) }
            #expect(bodies.count == count)
            #expect(Set(bodies).count == count, "an event was delivered twice")
            #expect(try await Self.remaining(in: restarted.store) == 0)
            await restarted.close()
            dyingRun.cancel()
            await dyingRun.value
        }
    }
}

/// A receiver that never answers (until the attempt is cancelled): the dispatcher of a process that is
/// about to die holds its deliveries in flight.
private final class HangingTransport: WebhookTransport {
    private let count = Atomic(0)

    var attempts: Int { count.load(ordering: .relaxed) }

    func post(url: URL, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int {
        count.add(1, ordering: .relaxed)
        try await Task.sleep(for: .seconds(3600))
        return 204
    }
}
