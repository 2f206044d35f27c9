import ApplicationServer
import Foundation
import Testing

@Suite("Webhook delivery plan")
struct WebhookDeliveryPlanTests {
    let plan = WebhookDeliveryPlan()
    let queuedAt = Fixtures.t0

    @Test("back-off doubles from one second and stops at ten minutes")
    func backoff() {
        #expect((1...12).map { plan.backoff(attempt: $0) } == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600])
        #expect(plan.backoff(attempt: 0) == 1)
        #expect(plan.backoff(attempt: 10_000) == 600, "no overflow for absurd attempt counts")
    }

    @Test("jitter only shortens a delay, by at most a fifth, and never passes the cap")
    func jitter() throws {
        let failedAt = queuedAt.addingTimeInterval(10)
        #expect(plan.nextAttempt(after: failedAt, attempt: 3, queuedAt: queuedAt, jitter: 0) == failedAt.addingTimeInterval(4))
        for draw in stride(from: 0.0, to: 1.0, by: 0.05) {
            let delay = try #require(plan.nextAttempt(after: failedAt, attempt: 20, queuedAt: queuedAt, jitter: draw)).timeIntervalSince(failedAt)
            #expect(delay <= 600 && delay > 480)
        }
        #expect(plan.nextAttempt(after: failedAt, attempt: 1, queuedAt: queuedAt, jitter: .nan) == failedAt.addingTimeInterval(1))
    }

    @Test("a delivery is retried for 24 hours, then given up")
    func givesUp() {
        var time = queuedAt
        var attempt = 1
        while let next = plan.nextAttempt(after: time, attempt: attempt, queuedAt: queuedAt, jitter: 0) {
            time = next
            attempt += 1
        }
        #expect(time.timeIntervalSince(queuedAt) <= 86_400)
        #expect(time.timeIntervalSince(queuedAt) > 86_400 - 600, "it keeps trying until the last 10-minute step before the horizon")
        #expect(attempt == 10 + (86_400 - 1023) / 600 + 1)
    }
}
