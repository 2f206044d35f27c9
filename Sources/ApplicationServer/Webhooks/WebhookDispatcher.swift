import Foundation
import GroupCommit
import Logging
import Synchronization

/// Delivers queued events to webhooks: claims due deliveries from the ``WebhookOutbox``, signs and
/// POSTs each through the ``WebhookTransport``, and records the outcome: `2xx` delivered, `4xx`
/// (other than 408 and 429) dead, anything else or no answer retried on the ``WebhookDeliveryPlan``
/// until it gives up.
///
/// Every state lives in the outbox, so a restart resumes where the last run stopped; this type only
/// decides. Deliveries of one webhook may arrive out of order (they are sent concurrently and retried
/// independently): receivers order by the event's `time` and de-duplicate by `X-Gatehouse-Delivery`.
public final class WebhookDispatcher: Sendable {
    private let outbox: any WebhookOutbox
    private let transport: any WebhookTransport
    private let applications: any ApplicationRegistry
    private let plan: WebhookDeliveryPlan
    private let configuration: WebhookDispatcherConfiguration
    private let clock: @Sendable () -> Date
    private let jitter: @Sendable () -> Double
    private let logger: Logger
    private let metrics = ApplicationServerMetrics()
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Events queued at the same time are stored in one transaction, and so are delivered marks: at
    /// thousands of events a second, a transaction each would make SQLite's one writer the limit.
    private let enqueues: GroupCommitQueue<[WebhookDelivery], Void>
    private let deliveredMarks: GroupCommitQueue<UUID, Void>

    public static let deliveryHeader = "X-Gatehouse-Delivery"
    public static let eventHeader = "X-Gatehouse-Event"

    /// - Parameter jitter: the random draw in `0..<1` for the back-off's jitter.
    public init(
        outbox: any WebhookOutbox, transport: any WebhookTransport, applications: any ApplicationRegistry,
        plan: WebhookDeliveryPlan = .init(), configuration: WebhookDispatcherConfiguration = .init(), logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.outbox = outbox
        self.transport = transport
        self.applications = applications
        self.plan = plan
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.jitter = jitter
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        enqueues = GroupCommitQueue(maximumBatch: 512, gatheringDelay: .microseconds(200)) { batch in
            try await outbox.enqueue(batch.flatMap { $0 })
            return batch.map { _ in () }
        }
        deliveredMarks = GroupCommitQueue(maximumBatch: 512, gatheringDelay: .microseconds(200)) { ids in
            try await outbox.markDelivered(ids)
            return ids.map { _ in () }
        }
    }

    /// Queues `event` once for each webhook of `application` and returns once the outbox stored them.
    public func enqueue(_ event: ApplicationEvent, for application: Application) async throws {
        guard !application.webhooks.isEmpty else { return }
        let now = clock()
        let body = event.jsonBytes
        let deliveries = application.webhooks.map { webhook in
            WebhookDelivery(
                id: UUID(), applicationID: application.id, webhookID: webhook.id, eventType: event.type, body: body, queuedAt: now,
                nextAttemptAt: now)
        }
        try await enqueues.submit(deliveries)
        wake.yield()
    }

    /// Runs until the calling task is cancelled: claims due deliveries whenever an event is queued
    /// here, an attempt ends, or `pollInterval` passes, keeping up to `maximumConcurrentAttempts` in
    /// flight and about `maximumConcurrentAttemptsPerWebhook` per webhook (never twice as many).
    /// Deliveries are claimed only into free slots and never for a webhook whose slots are full, so a
    /// slow receiver holds its own few slots, not the other receivers' turn. Call it once (the server's service group does).
    public func run() async {
        let slots = AttemptSlots()
        await withDiscardingTaskGroup { group in
            let (wake, interval) = (self.wake, configuration.pollInterval)
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    wake.yield()
                }
            }
            // Start with a claim: deliveries a previous run left behind are due.
            wake.yield()
            for await _ in wakeups {
                while !Task.isCancelled {
                    let perWebhook = configuration.maximumConcurrentAttemptsPerWebhook
                    let (inFlight, saturated) = slots.snapshot(perWebhook: perWebhook)
                    // A claim of at most `perWebhook` deliveries adds at most that many to a webhook
                    // that was below its cap: a webhook never holds twice its share.
                    let limit = min(configuration.maximumConcurrentAttempts - inFlight, configuration.batchSize, perWebhook)
                    guard limit > 0 else { break }
                    let claimed = await claim(limit: limit, excluding: saturated)
                    slots.start(claimed)
                    for delivery in claimed {
                        group.addTask {
                            _ = await self.attempt(delivery)
                            slots.finish(delivery)
                            wake.yield()
                        }
                    }
                    if claimed.count < limit { break }
                }
            }
            group.cancelAll()
        }
    }

    /// One pass: claims up to `batchSize` due deliveries and attempts them, at most
    /// `maximumConcurrentAttempts` at a time.
    @discardableResult
    public func dispatchDue() async -> WebhookDispatchSummary {
        let claimed = await claim(limit: configuration.batchSize, excluding: [])
        var summary = WebhookDispatchSummary(claimed: claimed.count)
        await withTaskGroup(of: AttemptResult.self) { group in
            var pending = claimed.makeIterator()
            for _ in 0..<configuration.maximumConcurrentAttempts {
                guard let delivery = pending.next() else { break }
                group.addTask { await self.attempt(delivery) }
            }
            for await result in group {
                switch result {
                case .delivered: summary.delivered += 1
                case .retried: summary.retried += 1
                case .dead: summary.dead += 1
                }
                if let delivery = pending.next() { group.addTask { await self.attempt(delivery) } }
            }
        }
        return summary
    }

    /// Up to `limit` due deliveries, leased for `lease`; none when the outbox cannot be read (logged).
    private func claim(limit: Int, excluding webhooks: Set<UUID>) async -> [WebhookDelivery] {
        let now = clock()
        do {
            return try await outbox.claimDue(
                at: now, limit: limit, leaseUntil: now.addingTimeInterval(configuration.lease.timeInterval), excludingWebhooks: webhooks)
        } catch is CancellationError {
            return []
        } catch {
            logger.error("webhook deliveries could not be claimed", metadata: ["error": "\(error)"])
            return []
        }
    }

    private enum AttemptResult: Sendable {
        case delivered, retried, dead
    }

    private func attempt(_ delivery: WebhookDelivery) async -> AttemptResult {
        let attempts = delivery.attempts + 1
        let application: Application?
        do {
            application = try await applications.application(delivery.applicationID)
        } catch {
            return await retry(delivery, attempts: attempts, reason: "the application could not be read: \(error)")
        }
        guard let application, let webhook = application.webhook(delivery.webhookID) else {
            return await dead(delivery, attempts: attempts, reason: "the webhook no longer exists")
        }
        let headers = [
            (name: "Content-Type", value: "application/json"),
            (name: "User-Agent", value: "Gatehouse"),
            (name: Self.eventHeader, value: delivery.eventType),
            (name: Self.deliveryHeader, value: delivery.id.uuidString.lowercased()),
        ] + WebhookSignature.headers(body: delivery.body, secret: application.webhookSecret, at: clock())
        let reason: String
        do {
            let status = try await transport.post(url: webhook.url, headers: headers, body: delivery.body)
            switch WebhookAttemptOutcome(status: status) {
            case .delivered:
                return await delivered(delivery, webhook: webhook)
            case .refused:
                return await dead(delivery, attempts: attempts, reason: "\(webhook.origin) refused it with HTTP \(status)")
            case .retry:
                reason = "\(webhook.origin) answered HTTP \(status)"
            }
        } catch {
            reason = "\(webhook.origin) did not answer: \(error)"
        }
        return await retry(delivery, attempts: attempts, reason: reason)
    }

    private func delivered(_ delivery: WebhookDelivery, webhook: Webhook) async -> AttemptResult {
        metrics.webhookAttempt("delivered")
        do {
            try await deliveredMarks.submit(delivery.id)
        } catch {
            // The lease ends and it is sent again: at least once.
            logger.error("a delivered webhook could not be marked", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        logger.trace("webhook delivered", metadata: ["delivery": "\(delivery.id)", "webhook": "\(webhook.id)"])
        return .delivered
    }

    private func retry(_ delivery: WebhookDelivery, attempts: Int, reason: String) async -> AttemptResult {
        guard let next = plan.nextAttempt(after: clock(), attempt: attempts, queuedAt: delivery.queuedAt, jitter: jitter()) else {
            return await dead(delivery, attempts: attempts, reason: "gave up after \(attempts) attempts; the last: \(reason)")
        }
        metrics.webhookAttempt("retry")
        logger.debug("webhook attempt failed; will retry", metadata: [
            "delivery": "\(delivery.id)", "application": "\(delivery.applicationID)", "attempts": "\(attempts)", "reason": "\(reason)",
        ])
        do {
            try await outbox.reschedule(delivery.id, attempts: attempts, nextAttemptAt: next, lastError: reason)
        } catch {
            logger.error("a webhook retry could not be scheduled", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        return .retried
    }

    private func dead(_ delivery: WebhookDelivery, attempts: Int, reason: String) async -> AttemptResult {
        metrics.webhookAttempt("dead")
        logger.warning("webhook delivery abandoned", metadata: [
            "delivery": "\(delivery.id)", "application": "\(delivery.applicationID)", "webhook": "\(delivery.webhookID)",
            "event": "\(delivery.eventType)", "attempts": "\(attempts)", "reason": "\(reason)",
        ])
        do {
            try await outbox.markDead(delivery.id, attempts: attempts, reason: reason)
        } catch {
            logger.error("an abandoned webhook delivery could not be marked", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        return .dead
    }
}

/// Attempts in flight in ``WebhookDispatcher/run()``, in all and per webhook.
private final class AttemptSlots: Sendable {
    private let state = Mutex<(total: Int, byWebhook: [UUID: Int])>((0, [:]))

    /// Attempts in flight, and the webhooks that have `perWebhook` or more.
    func snapshot(perWebhook: Int) -> (inFlight: Int, saturated: Set<UUID>) {
        state.withLock { state in (state.total, Set(state.byWebhook.filter { $0.value >= perWebhook }.keys)) }
    }

    func start(_ deliveries: [WebhookDelivery]) {
        state.withLock { state in
            state.total += deliveries.count
            for delivery in deliveries { state.byWebhook[delivery.webhookID, default: 0] += 1 }
        }
    }

    func finish(_ delivery: WebhookDelivery) {
        state.withLock { state in
            state.total -= 1
            let remaining = state.byWebhook[delivery.webhookID, default: 1] - 1
            state.byWebhook[delivery.webhookID] = remaining > 0 ? remaining : nil
        }
    }
}

extension Duration {
    /// Seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
