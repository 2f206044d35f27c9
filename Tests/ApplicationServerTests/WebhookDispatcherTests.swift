import ApplicationServer
import Foundation
import LoRaWAN
import Testing

@Suite("Webhook dispatcher")
struct WebhookDispatcherTests {
    struct Setup {
        let clock = ManualClock()
        let outbox = InMemoryWebhookOutbox()
        let registry: InMemoryApplicationRegistry
        let transport: ScriptedTransport
        let logs = LogRecorder()
        let dispatcher: WebhookDispatcher

        init(_ script: [ScriptedTransport.Reply], application: Application = Fixtures.application, configuration: WebhookDispatcherConfiguration = .init()) {
            registry = InMemoryApplicationRegistry([application])
            transport = ScriptedTransport(script)
            dispatcher = WebhookDispatcher(
                outbox: outbox, transport: transport, applications: registry, configuration: configuration, logger: logs.logger,
                clock: clock.function, jitter: { 0 })
        }

        func enqueueUplink(to application: Application = Fixtures.application) async throws -> ApplicationEvent {
            let event = ApplicationEvent.uplink(try UplinkDecryption.decrypt(Fixtures.uplink(), session: Fixtures.session, applicationID: application.id))
            try await dispatcher.enqueue(event, for: application)
            return event
        }
    }

    @Test("a 2xx answer delivers; the request is signed, typed and carries the exact event bytes")
    func delivered() async throws {
        let setup = Setup([.status(204)])
        let event = try await setup.enqueueUplink()
        let summary = await setup.dispatcher.dispatchDue()
        #expect(summary == WebhookDispatchSummary(claimed: 1, delivered: 1))
        let row = try #require(setup.outbox.all.first)
        #expect(row.status == .delivered)

        let request = try #require(setup.transport.requests.first)
        #expect(request.url == Fixtures.webhook.url)
        #expect(request.body == event.jsonBytes)
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers["X-Gatehouse-Event"] == "uplink")
        #expect(request.headers["X-Gatehouse-Delivery"] == row.delivery.id.uuidString.lowercased())
        try WebhookSignature.verify(
            body: request.body, timestamp: try #require(request.headers["X-Gatehouse-Timestamp"]),
            signature: try #require(request.headers["X-Gatehouse-Signature"]), secret: Fixtures.secret, now: setup.clock.now)
    }

    @Test("a 4xx answer other than 408 and 429 is dead at once, and logged")
    func refused() async throws {
        for status in [400, 401, 404, 410, 422] {
            let setup = Setup([.status(status)])
            _ = try await setup.enqueueUplink()
            #expect(await setup.dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 1, dead: 1), "HTTP \(status)")
            guard case .dead(let reason) = setup.outbox.all.first?.status else {
                Issue.record("HTTP \(status) should be dead")
                continue
            }
            #expect(reason.contains("HTTP \(status)"))
            #expect(setup.logs.all.contains { $0.hasPrefix("warning webhook delivery abandoned") })
            #expect(!setup.logs.all.joined().contains("t0ps3cret"), "the URL's query (a receiver's token) is not logged")
        }
    }

    @Test("5xx, 408, 429 and a transport failure are retried after the back-off; a later 2xx delivers")
    func retried() async throws {
        for first in [ScriptedTransport.Reply.status(500), .status(503), .status(408), .status(429), .status(302), .failure("connection refused")] {
            let setup = Setup([first, .status(200)])
            _ = try await setup.enqueueUplink()
            #expect(await setup.dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 1, retried: 1), "\(first)")
            let row = try #require(setup.outbox.all.first)
            #expect(row.status == .pending && row.delivery.attempts == 1)
            #expect(row.delivery.nextAttemptAt == setup.clock.now.addingTimeInterval(1))

            #expect(await setup.dispatcher.dispatchDue().claimed == 0, "not due before the back-off")
            setup.clock.advance(by: 1)
            #expect(await setup.dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 1, delivered: 1))
            #expect(setup.transport.requests.count == 2)
        }
    }

    @Test("each retry is signed anew with its own timestamp")
    func resignedOnRetry() async throws {
        let setup = Setup([.status(500), .status(200)])
        _ = try await setup.enqueueUplink()
        await setup.dispatcher.dispatchDue()
        setup.clock.advance(by: 5)
        await setup.dispatcher.dispatchDue()
        let timestamps = setup.transport.requests.map { $0.headers["X-Gatehouse-Timestamp"] }
        #expect(timestamps == ["1714564800", "1714564805"])
    }

    @Test("a receiver that fails for 24 hours ends dead, after the whole schedule")
    func givesUp() async throws {
        let setup = Setup([.status(503)])
        _ = try await setup.enqueueUplink()
        var passes = 0
        while case .pending = setup.outbox.all.first?.status, passes < 1000 {
            await setup.dispatcher.dispatchDue()
            setup.clock.advance(by: 600)
            passes += 1
        }
        guard case .dead(let reason) = setup.outbox.all.first?.status else {
            Issue.record("the delivery should be dead")
            return
        }
        #expect(reason.contains("gave up after"))
        #expect(setup.transport.requests.count > 140)
        #expect(setup.clock.now.timeIntervalSince(Fixtures.t0) >= 86_400)
    }

    @Test("one delivery per webhook; none for an application without webhooks; a removed webhook ends its deliveries")
    func webhooksOfTheApplication() async throws {
        var two = Fixtures.application
        two.webhooks.append(try Webhook(id: UUID(), url: URL(string: "http://10.0.0.1:8080/events")!))
        let setup = Setup([.status(200)], application: two)
        _ = try await setup.enqueueUplink(to: two)
        #expect(setup.outbox.all.map(\.delivery.webhookID) == two.webhooks.map(\.id))

        var none = Fixtures.application
        none.webhooks = []
        _ = try await setup.enqueueUplink(to: none)
        #expect(setup.outbox.all.count == 2)

        var one = two
        one.webhooks.removeLast()
        try await setup.registry.save(one)
        #expect(await setup.dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 2, delivered: 1, dead: 1))
        #expect(setup.outbox.all.last?.status == .dead("the webhook no longer exists"))
    }

    @Test("a claimed delivery is leased: a second pass does not send it again until the lease ends")
    func leases() async throws {
        let setup = Setup([.status(200)])
        _ = try await setup.enqueueUplink()
        let leased = try await setup.outbox.claimDue(
            at: setup.clock.now, limit: 10, leaseUntil: setup.clock.now.addingTimeInterval(300), excludingWebhooks: [])
        #expect(leased.count == 1)
        #expect(await setup.dispatcher.dispatchDue().claimed == 0)
        setup.clock.advance(by: 300)
        #expect(await setup.dispatcher.dispatchDue().delivered == 1, "a claimant that died leaves it to the next")
    }

    @Test("a full batch is followed by another pass; attempts run concurrently up to the limit")
    func batches() async throws {
        let setup = Setup([.status(200)], configuration: WebhookDispatcherConfiguration(batchSize: 4, maximumConcurrentAttempts: 2))
        for _ in 0..<10 { _ = try await setup.enqueueUplink() }
        #expect(await setup.dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 4, delivered: 4))
        #expect(await setup.dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 4, delivered: 4))
        #expect(await setup.dispatcher.dispatchDue() == WebhookDispatchSummary(claimed: 2, delivered: 2))
    }

    @Test("the running dispatcher is woken by a queued event, without waiting for the poll interval")
    func runLoop() async throws {
        let setup = Setup([.status(200)], configuration: WebhookDispatcherConfiguration(pollInterval: .seconds(3600)))
        let running = Task { await setup.dispatcher.run() }
        defer { running.cancel() }
        _ = try await setup.enqueueUplink()
        // A liveness bound, not a timing assertion: under the full parallel suite on 2 cores, CPU-bound
        // tests can hold the cooperative pool for many seconds.
        let deadline = ContinuousClock.now + .seconds(60)
        while setup.outbox.all.first?.status != .delivered, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(setup.outbox.all.first?.status == .delivered)
        running.cancel()
        await running.value
    }

    @Test("a slow receiver holds one slot of the running dispatcher, not the other receivers' deliveries")
    func slowReceiver() async throws {
        var application = Fixtures.application
        application.webhooks = [
            try Webhook(id: UUID(), url: URL(string: "https://slow.example/hook")!),
            try Webhook(id: UUID(), url: URL(string: "https://fast.example/hook")!),
        ]
        let outbox = InMemoryWebhookOutbox()
        let transport = GatedTransport()
        let dispatcher = WebhookDispatcher(
            outbox: outbox, transport: transport, applications: InMemoryApplicationRegistry([application]),
            configuration: WebhookDispatcherConfiguration(
                batchSize: 8, maximumConcurrentAttempts: 3, maximumConcurrentAttemptsPerWebhook: 2, pollInterval: .seconds(3600)),
            logger: Fixtures.quietLogger, jitter: { 0 })
        let running = Task { await dispatcher.run() }
        defer { running.cancel() }
        let event = ApplicationEvent.uplink(try UplinkDecryption.decrypt(Fixtures.uplink(), session: Fixtures.session, applicationID: application.id))
        for _ in 0..<5 { try await dispatcher.enqueue(event, for: application) }

        var deadline = ContinuousClock.now + .seconds(60)
        while transport.answeredHosts.count < 5, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(transport.answeredHosts == Array(repeating: "fast.example", count: 5), "the fast receiver got all five while the slow one hung")
        #expect(transport.waiting == 2, "the slow receiver holds its two slots, no more")

        transport.release()
        deadline = ContinuousClock.now + .seconds(60)
        while outbox.all.contains(where: { $0.status != .delivered }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(outbox.all.allSatisfy { $0.status == .delivered })
        running.cancel()
        await running.value
    }

    @Test("status classes", arguments: [
        (200, WebhookAttemptOutcome.delivered), (201, .delivered), (299, .delivered), (400, .refused), (404, .refused), (499, .refused),
        (408, .retry), (429, .retry), (500, .retry), (502, .retry), (100, .retry), (301, .retry), (0, .retry),
    ])
    func classes(status: Int, outcome: WebhookAttemptOutcome) {
        #expect(WebhookAttemptOutcome(status: status) == outcome)
    }
}
