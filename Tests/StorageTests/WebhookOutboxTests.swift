import ApplicationServer
import Foundation
import SQLKit
@testable import Storage
import Testing

@Suite("Webhook outbox")
struct WebhookOutboxTests {
    private static let hookA = UUID()
    private static let hookB = UUID()

    /// A delivery's stored state: what the repository does not return.
    private struct RowState: Equatable {
        let status: String
        let attempts: Int64
        let lastError: String?
    }

    private static func state(_ id: UUID, in store: GatehouseStore) async throws -> RowState? {
        try await store.engine.read { sql in
            try await sql.raw("SELECT status, attempts, last_error FROM webhook_deliveries WHERE id = \(bind: StoredUUID.data(id))").first().map { row in
                RowState(
                    status: try row.text("status", table: "webhook_deliveries"), attempts: try row.integer("attempts", table: "webhook_deliveries"),
                    lastError: try row.optionalText("last_error", table: "webhook_deliveries"))
            }
        }
    }

    private static func claim(
        _ outbox: any WebhookOutbox, at seconds: Int, limit: Int = 100, leaseFor lease: Int = 30, excluding: Set<UUID> = []
    ) async throws -> [WebhookDelivery] {
        try await outbox.claimDue(at: Fixture.time(seconds), limit: limit, leaseUntil: Fixture.time(seconds + lease), excludingWebhooks: excluding)
    }

    @Test("due deliveries are claimed oldest due first, up to the limit, with every field and their lease's end", arguments: Backend.available)
    func claimOrder(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let outbox = store.webhookOutbox
            let late = ApplicationFixture.delivery(webhook: Self.hookA, due: 20)
            let early = ApplicationFixture.delivery(application: "other.app", webhook: Self.hookB, due: 5, queued: 1, body: "{\"é\":1}")
            let middle = ApplicationFixture.delivery(webhook: Self.hookA, due: 10)
            let future = ApplicationFixture.delivery(webhook: Self.hookA, due: 100)
            try await outbox.enqueue([late, early, middle, future])
            try await outbox.enqueue([])

            let first = try await Self.claim(outbox, at: 30, limit: 2)
            var expected = [early, middle]
            for index in expected.indices { expected[index].nextAttemptAt = Fixture.time(60) }
            #expect(first == expected)
            #expect(try await Self.claim(outbox, at: 30).map(\.id) == [late.id], "then the rest that is due, not the future one")
            #expect(try await Self.claim(outbox, at: 30, limit: 0) == [])
        }
    }

    @Test("a claimed delivery is not claimed again before its lease ends, and is again once it has", arguments: Backend.available)
    func leasing(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let outbox = store.webhookOutbox
            let delivery = ApplicationFixture.delivery(webhook: Self.hookA, due: 0)
            try await outbox.enqueue([delivery])

            #expect(try await Self.claim(outbox, at: 1, leaseFor: 30).map(\.id) == [delivery.id])
            #expect(try await Self.claim(outbox, at: 1) == [])
            #expect(try await Self.claim(outbox, at: 30) == [], "the lease runs until second 31")
            // The claimant died without a word: the lease ends and the delivery is due again, untouched.
            let again = try await Self.claim(outbox, at: 31, leaseFor: 30)
            #expect(again.map(\.id) == [delivery.id])
            #expect(again.first?.attempts == 0)
            #expect(try await Self.state(delivery.id, in: store) == RowState(status: "pending", attempts: 0, lastError: nil))
        }
    }

    @Test("claims skip the deliveries of excluded webhooks", arguments: Backend.available)
    func excludingWebhooks(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let outbox = store.webhookOutbox
            let hookC = UUID()
            let deliveries = [
                ApplicationFixture.delivery(webhook: Self.hookA, due: 1), ApplicationFixture.delivery(webhook: Self.hookB, due: 2),
                ApplicationFixture.delivery(webhook: hookC, due: 3), ApplicationFixture.delivery(webhook: Self.hookA, due: 4),
            ]
            try await outbox.enqueue(deliveries)
            #expect(try await Self.claim(outbox, at: 10, excluding: [Self.hookA, hookC]).map(\.id) == [deliveries[1].id])
            #expect(try await Self.claim(outbox, at: 10, excluding: [Self.hookA]).map(\.id) == [deliveries[2].id])
            #expect(try await Self.claim(outbox, at: 10, excluding: [Self.hookB]).map(\.id) == [deliveries[0].id, deliveries[3].id])
        }
    }

    @Test("a delivered delivery leaves the queue", arguments: Backend.available)
    func delivered(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let outbox = store.webhookOutbox
            let delivery = ApplicationFixture.delivery(webhook: Self.hookA, due: 0)
            try await outbox.enqueue([delivery])
            _ = try await Self.claim(outbox, at: 0)
            try await outbox.markDelivered([delivery.id])
            #expect(try await Self.claim(outbox, at: 1_000) == [])
            #expect(try await Self.state(delivery.id, in: store) == nil)
            try await outbox.markDelivered([delivery.id])

            // A batch of marks removes exactly those deliveries.
            let three = (0..<3).map { _ in ApplicationFixture.delivery(webhook: Self.hookA, due: 0) }
            try await outbox.enqueue(three)
            try await outbox.markDelivered([three[0].id, three[2].id])
            #expect(try await Self.claim(outbox, at: 0).map(\.id) == [three[1].id])
        }
    }

    @Test("a dead delivery is kept with its reason and never claimed again", arguments: Backend.available)
    func dead(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let outbox = store.webhookOutbox
            let delivery = ApplicationFixture.delivery(webhook: Self.hookA, due: 0)
            let other = ApplicationFixture.delivery(webhook: Self.hookA, due: 0)
            try await outbox.enqueue([delivery, other])
            _ = try await Self.claim(outbox, at: 0)
            try await outbox.markDead(delivery.id, attempts: 1, reason: "https://hooks.example.com refused it with HTTP 410")
            try await outbox.markDelivered([other.id])

            #expect(try await Self.claim(outbox, at: 1_000_000) == [])
            #expect(try await Self.state(delivery.id, in: store) == RowState(status: "dead", attempts: 1, lastError: "https://hooks.example.com refused it with HTTP 410"))
            // A late "delivered" or "retry" from a confused claimant does not revive it.
            try await outbox.markDelivered([delivery.id])
            try await outbox.reschedule(delivery.id, attempts: 2, nextAttemptAt: Fixture.time(5), lastError: "late")
            #expect(try await Self.state(delivery.id, in: store)?.status == "dead")
            #expect(try await Self.claim(outbox, at: 1_000_000) == [])
        }
    }

    @Test("a rescheduled delivery records its attempts and error, and is due again at its new time", arguments: Backend.available)
    func reschedule(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let outbox = store.webhookOutbox
            let delivery = ApplicationFixture.delivery(webhook: Self.hookA, due: 0)
            try await outbox.enqueue([delivery])
            _ = try await Self.claim(outbox, at: 0, leaseFor: 30)
            // Retried sooner than the lease would have ended: the new time rules.
            try await outbox.reschedule(delivery.id, attempts: 1, nextAttemptAt: Fixture.time(10), lastError: "HTTP 503")
            #expect(try await Self.state(delivery.id, in: store) == RowState(status: "pending", attempts: 1, lastError: "HTTP 503"))
            #expect(try await Self.claim(outbox, at: 9) == [])
            let again = try await Self.claim(outbox, at: 10)
            #expect(again.map(\.id) == [delivery.id])
            #expect(again.first?.attempts == 1)

            // A long error is cut to a bounded length.
            try await outbox.reschedule(delivery.id, attempts: 2, nextAttemptAt: Fixture.time(20), lastError: String(repeating: "x", count: 10_000))
            #expect(try await Self.state(delivery.id, in: store)?.lastError?.count == SQLWebhookOutbox.maximumErrorLength)
        }
    }

    @Test("enqueueing many deliveries at once stores them all; enqueueing one again stores it once", arguments: Backend.available)
    func enqueueMany(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let outbox = store.webhookOutbox
            let deliveries = (0..<(SQLWebhookOutbox.rowsPerStatement * 2 + 7)).map { ApplicationFixture.delivery(webhook: Self.hookA, due: $0 % 50) }
            try await outbox.enqueue(deliveries)
            try await outbox.enqueue([deliveries[3]])
            #expect(try await countRows("webhook_deliveries", in: store) == deliveries.count)
            let claimed = try await Self.claim(outbox, at: 100, limit: deliveries.count + 10)
            #expect(Set(claimed.map(\.id)) == Set(deliveries.map(\.id)))
            #expect(claimed.count == deliveries.count)
            let dueTimes = claimed.map(\.id).map { id in deliveries.first { $0.id == id }!.nextAttemptAt }
            #expect(dueTimes == dueTimes.sorted(), "oldest due first")
        }
    }

    @Test("claimants racing from two store instances never claim one delivery twice", arguments: Backend.available)
    func concurrentClaims(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let second = try await database.open()
            let deliveries = (0..<300).map { ApplicationFixture.delivery(webhook: $0.isMultiple(of: 2) ? Self.hookA : Self.hookB, due: $0 % 10) }
            try await store.webhookOutbox.enqueue(deliveries)
            let claims = try await withThrowingTaskGroup(of: [UUID].self) { group in
                for claimant in 0..<12 {
                    let outbox = claimant.isMultiple(of: 2) ? store.webhookOutbox : second.webhookOutbox
                    group.addTask {
                        var mine: [UUID] = []
                        while true {
                            let batch = try await Self.claim(outbox, at: 20, limit: 7)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                var all: [[UUID]] = []
                for try await claim in group { all.append(claim) }
                return all
            }
            await second.close()
            let claimed = claims.flatMap { $0 }
            #expect(claimed.count == deliveries.count, "each delivery claimed exactly once")
            #expect(Set(claimed) == Set(deliveries.map(\.id)))
        }
    }
}
