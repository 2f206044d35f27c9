import ApplicationServer
import Foundation
import LoRaWAN
import Testing

/// The running dispatcher's in-memory path: events queued while it runs are stored leased to it and
/// handed over without a claim, and the lease keeps the claim path off them.
@Suite("Webhook hand-over")
struct WebhookHandOverTests {
    struct Setup {
        let clock = ManualClock()
        let outbox = InMemoryWebhookOutbox()
        let registry = InMemoryApplicationRegistry([Fixtures.application])
        let logs = LogRecorder()

        func dispatcher(_ transport: any WebhookTransport, configuration: WebhookDispatcherConfiguration = Self.configuration) -> WebhookDispatcher {
            WebhookDispatcher(
                outbox: outbox, transport: transport, applications: registry, configuration: configuration, logger: logs.logger,
                clock: clock.function, jitter: { 0 })
        }

        /// Polls only when told: every claim in these tests is one the test caused.
        static let configuration = WebhookDispatcherConfiguration(lease: .seconds(120), pollInterval: .seconds(3600))

        /// Starts `dispatcher.run()` and returns once it takes hand-overs (its opening claim was made).
        func start(_ dispatcher: WebhookDispatcher) async throws -> Task<Void, Never> {
            let calls = outbox.claimCounts.calls
            let running = Task { await dispatcher.run() }
            try await eventually { outbox.claimCounts.calls > calls }
            return running
        }

        static func event(_ fCnt: UInt32) throws -> ApplicationEvent {
            .uplink(try UplinkDecryption.decrypt(Fixtures.uplink(fCnt: fCnt), session: Fixtures.session, applicationID: Fixtures.applicationID))
        }
    }

    @Test("while the dispatcher runs, a queued event is stored leased to it and delivered without a claim")
    func handedOver() async throws {
        let setup = Setup()
        let transport = ScriptedTransport([.status(204)])
        let dispatcher = setup.dispatcher(transport)
        let running = try await setup.start(dispatcher)
        defer { running.cancel() }

        try await dispatcher.enqueue(try Setup.event(1), for: Fixtures.application)
        let row = try #require(setup.outbox.all.first)
        #expect(row.delivery.nextAttemptAt == Fixtures.t0.addingTimeInterval(120), "stored leased for the lease")
        try await eventually { setup.outbox.all.first?.status == .delivered }
        #expect(setup.outbox.all.first?.status == .delivered)
        #expect(setup.outbox.claimCounts.claimed == 0, "no claim brought it")
        #expect(transport.requests.map { $0.headers[WebhookDispatcher.deliveryHeader] } == [row.delivery.id.uuidString.lowercased()])
        running.cancel()
        await running.value
    }

    @Test("without a running dispatcher, a queued event is stored due at once, for a claim")
    func notRunning() async throws {
        let setup = Setup()
        let dispatcher = setup.dispatcher(ScriptedTransport([.status(204)]))
        try await dispatcher.enqueue(try Setup.event(1), for: Fixtures.application)
        #expect(setup.outbox.all.first?.delivery.nextAttemptAt == Fixtures.t0)
        #expect(await dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 1, delivered: 1))
    }

    @Test("a handed-over delivery is not claimed by another dispatcher while it is attempted; it is sent once")
    func notClaimedWhileLeased() async throws {
        let setup = Setup()
        let latched = LatchedTransport()
        let first = setup.dispatcher(latched)
        let running = try await setup.start(first)
        defer { running.cancel() }
        try await first.enqueue(try Setup.event(1), for: Fixtures.application)
        try await eventually { latched.deliveryIDs.count == 1 }

        // Another instance on the same outbox, just before the first's attempts may no longer start.
        let otherTransport = ScriptedTransport([.status(204)])
        let other = setup.dispatcher(otherTransport)
        setup.clock.advance(by: 59)
        #expect(await other.dispatchDue() == WebhookDispatchSummary())

        latched.open()
        try await eventually { setup.outbox.all.first?.status == .delivered }
        #expect(setup.outbox.all.first?.status == .delivered)
        #expect(latched.deliveryIDs.count == 1)
        #expect(otherTransport.requests.isEmpty)
        running.cancel()
        await running.value
    }

    @Test("a delivery that waited in memory past half its lease is let go unsent, and claimed once the lease ended")
    func letGoAfterHalfTheLease() async throws {
        let setup = Setup()
        let latched = LatchedTransport()
        // One attempt at a time: the second event waits in memory behind the first.
        let dispatcher = setup.dispatcher(latched, configuration: WebhookDispatcherConfiguration(
            maximumConcurrentAttempts: 1, maximumConcurrentAttemptsPerWebhook: 1, lease: .seconds(120), pollInterval: .seconds(3600)))
        let running = try await setup.start(dispatcher)
        defer { running.cancel() }
        try await dispatcher.enqueue(try Setup.event(1), for: Fixtures.application)
        try await dispatcher.enqueue(try Setup.event(2), for: Fixtures.application)
        try await eventually { latched.deliveryIDs.count == 1 }

        // The first answers only after 61 s: the second now has less than half its lease left.
        setup.clock.advance(by: 61)
        latched.open()
        try await eventually { setup.logs.all.contains { $0.contains("waited too long in memory") } }
        #expect(latched.deliveryIDs.count == 1, "an attempt started now could outlive the lease")
        let waiting = try #require(setup.outbox.all.last)
        #expect(waiting.status == .pending)

        // Still leased: nobody claims it before the lease ends; then a claim sends it, once.
        #expect(await dispatcher.dispatchDue() == WebhookDispatchSummary())
        setup.clock.advance(by: 60)
        #expect(await dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 1, delivered: 1))
        #expect(latched.deliveryIDs == setup.outbox.all.map { $0.delivery.id.uuidString.lowercased() })
        running.cancel()
        await running.value
    }

    @Test("what a claim left behind for a busy webhook is claimed once it drained, not at the next poll")
    func claimsAfterDraining() async throws {
        let setup = Setup()
        let transport = ScriptedTransport([.status(204)])
        // Queued before the dispatcher runs: all three wait in the outbox, due.
        let dispatcher = setup.dispatcher(transport, configuration: WebhookDispatcherConfiguration(
            batchSize: 2, maximumConcurrentAttempts: 1, maximumConcurrentAttemptsPerWebhook: 1, pollInterval: .seconds(3600)))
        for fCnt: UInt32 in 1...3 { try await dispatcher.enqueue(try Setup.event(fCnt), for: Fixtures.application) }
        let running = Task { await dispatcher.run() }
        defer { running.cancel() }
        try await eventually { setup.outbox.all.allSatisfy { $0.status == .delivered } }
        #expect(setup.outbox.all.map(\.status) == [.delivered, .delivered, .delivered])
        #expect(transport.requests.count == 3)
        running.cancel()
        await running.value
    }

    @Test("the stream and the webhook get the same bytes, encoded once")
    func oneEncoding() async throws {
        let harness = Harness()
        let subscription = harness.stream.subscribe(.application(Fixtures.applicationID))
        await harness.server.joined(Fixtures.join())
        await harness.server.uplinkReceived(Fixtures.uplink())
        _ = await subscription.next()
        guard case .event(let encoded) = await subscription.next() else {
            Issue.record("expected the uplink event")
            return
        }
        #expect(encoded.json == encoded.event.jsonBytes)
        #expect(harness.outbox.all.last?.delivery.body == encoded.json)
        #expect(await harness.dispatcher.dispatchDue().delivered == 2)
        #expect(harness.transport.requests.contains { $0.body == encoded.json })
    }
}
