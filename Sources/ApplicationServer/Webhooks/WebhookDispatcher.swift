import Foundation
import GroupCommit
import Logging
import Synchronization

/// Delivers queued events to webhooks: signs and POSTs each through the ``WebhookTransport``, and
/// records the outcome in the ``WebhookOutbox``: `2xx` delivered, `4xx` (other than 408 and 429)
/// dead, anything else or no answer retried on the ``WebhookDeliveryPlan`` until it gives up.
///
/// Every delivery is a row of the outbox before it is attempted, and every state lives there, so a
/// restart resumes where the last run stopped. Two paths lead from a row to an attempt:
///
/// - **Hand-over**, for events queued in this process while ``run()`` runs: ``enqueue(_:for:)`` stores
///   the rows already leased to this dispatcher (for ``WebhookDispatcherConfiguration/lease``) and
///   hands them over in memory. No claim transaction, no poll.
/// - **Claim**, for everything else: retries that fell due, deliveries queued by another instance
///   sharing the database, by this process while it was not running or had no room in memory, or
///   left leased by a run that stopped. ``run()`` claims due rows when polled (every `pollInterval`),
///   when an enqueue could not hand over, and again while claims come back full.
///
/// The lease keeps the paths apart: a claim takes only rows that are due, and a handed-over row is not
/// due until its lease ends. An attempt starts only while more than half of its lease remains, and the
/// transport ends any attempt within half a lease, so a row is never attempted by two dispatchers at
/// once. A dispatcher that dies leaves its leased rows to whoever claims them once the leases end:
/// delivery is at least once (a `2xx` whose delivered mark was lost is sent again).
///
/// Deliveries of one webhook may arrive out of order (they are sent concurrently and retried
/// independently): receivers order by the event's `time` and de-duplicate by `X-Gatehouse-Delivery`.
public final class WebhookDispatcher: Sendable {
    let outbox: any WebhookOutbox
    let transport: any WebhookTransport
    let applications: any ApplicationRegistry
    let plan: WebhookDeliveryPlan
    let configuration: WebhookDispatcherConfiguration
    let clock: @Sendable () -> Date
    let jitter: @Sendable () -> Double
    let logger: Logger
    let metrics = ApplicationServerMetrics()
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Set when the outbox may hold due deliveries this dispatcher was not handed.
    private let claimWanted = Atomic(false)
    private let leased: LeasedDeliveries
    /// Events queued at the same time are stored in one transaction, and so are delivered marks: at
    /// thousands of events a second, a transaction each would make SQLite's one writer the limit.
    private let enqueues: GroupCommitQueue<[WebhookDelivery], Void>
    let deliveredMarks: GroupCommitQueue<UUID, Void>

    public static let deliveryHeader = "X-Gatehouse-Delivery"
    public static let eventHeader = "X-Gatehouse-Event"

    /// - Parameters:
    ///   - applications: where an attempt reads the webhook's URL and the secret it signs with, at each
    ///     attempt (``ApplicationRegistry/recentApplication(_:)``: from memory when it is a
    ///     ``CachingApplicationRegistry``).
    ///   - jitter: the random draw in `0..<1` for the back-off's jitter.
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
        leased = LeasedDeliveries(LeasedDeliveries.Limits(
            waiting: configuration.maximumWaitingDeliveries, waitingPerWebhook: configuration.maximumWaitingPerWebhook,
            inFlight: configuration.maximumConcurrentAttempts, inFlightPerWebhook: configuration.maximumConcurrentAttemptsPerWebhook))
        enqueues = GroupCommitQueue(maximumBatch: 512, gatheringDelay: .microseconds(200)) { batch in
            try await outbox.enqueue(batch.flatMap { $0 })
            return batch.map { _ in () }
        }
        deliveredMarks = GroupCommitQueue(maximumBatch: 512, gatheringDelay: .microseconds(200)) { ids in
            try await outbox.markDelivered(ids)
            return ids.map { _ in () }
        }
    }

    /// Encodes `event` and queues it (the stream-less path: tests, tools).
    public func enqueue(_ event: ApplicationEvent, for application: Application) async throws {
        try await enqueue(EncodedApplicationEvent(event), for: application)
    }

    /// Queues `event` once for each webhook of `application` and returns once the outbox stored them.
    ///
    /// While ``run()`` runs and has room, the rows are stored leased to this dispatcher and handed over
    /// in memory; otherwise they are stored due at once, for a claim.
    public func enqueue(_ event: EncodedApplicationEvent, for application: Application) async throws {
        guard !application.webhooks.isEmpty else { return }
        let now = clock()
        let reservation = leased.reserve(application.webhooks.map(\.id))
        let due = reservation == nil ? now : now.addingTimeInterval(configuration.lease.timeInterval)
        let deliveries = application.webhooks.map { webhook in
            WebhookDelivery(
                id: WebhookDeliveryID.next(), applicationID: application.id, webhookID: webhook.id, eventType: event.type, body: event.json,
                queuedAt: now, nextAttemptAt: due)
        }
        do {
            try await enqueues.submit(deliveries)
        } catch {
            // Stored or not, nothing waits in memory: a row stored leased is claimed once its lease ends.
            if let reservation { leased.cancel(reservation) }
            throw error
        }
        if let reservation {
            leased.handOver(deliveries, reservation)
            metrics.webhookQueued("handed_over", count: deliveries.count)
        } else {
            metrics.webhookQueued("outbox", count: deliveries.count)
            requestClaim()
        }
        wake.yield()
    }

    /// Runs until the calling task is cancelled: starts the deliveries handed over or claimed whenever
    /// one arrives or an attempt ends, keeping up to `maximumConcurrentAttempts` in flight and
    /// `maximumConcurrentAttemptsPerWebhook` per webhook, so a slow receiver holds its own few slots, not
    /// the other receivers' turn. Call it once (the server's service group does).
    ///
    /// When it returns, the deliveries still waiting in memory stay leased in the outbox until their
    /// leases end; the next run, or another instance, claims them then.
    public func run() async {
        leased.open()
        defer { leased.close() }
        // Start with a claim: deliveries a previous run left behind are due.
        requestClaim()
        await withDiscardingTaskGroup { group in
            let interval = configuration.pollInterval
            group.addTask { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    requestClaim()
                }
            }
            for await _ in wakeups {
                guard !Task.isCancelled else { break }
                while true {
                    startWaiting(in: &group)
                    guard claimWanted.exchange(false, ordering: .acquiringAndReleasing) else { break }
                    guard let room = leased.claimRoom(batchSize: configuration.batchSize, minimum: worthwhileClaim) else {
                        // No room worth a transaction yet: claim when attempts have made some.
                        claimWanted.store(true, ordering: .releasing)
                        break
                    }
                    let claimed = await claim(limit: room.limit, excluding: room.excluding)
                    leased.add(claimed, into: room)
                    // A full claim: more may be due.
                    if claimed.count == room.limit { claimWanted.store(true, ordering: .releasing) }
                }
            }
            group.cancelAll()
        }
    }

    /// One pass without ``run()``: claims up to `batchSize` due deliveries and attempts them, at most
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

    /// The least room a claim waits for: half a batch, or of memory if that is smaller.
    private var worthwhileClaim: Int { max(1, min(configuration.batchSize, configuration.maximumWaitingDeliveries) / 2) }

    /// Asks the running loop to claim due deliveries from the outbox.
    private func requestClaim() {
        claimWanted.store(true, ordering: .releasing)
        wake.yield()
    }

    /// Starts attempts for waiting deliveries in free slots. Each frees its slot when the receiver
    /// answered, before its outcome is recorded: the slot bounds requests to the receiver, and the
    /// record is group-committed with others.
    private func startWaiting(in group: inout DiscardingTaskGroup) {
        let now = clock()
        let (started, letGo) = leased.start(leaseEndingAfter: now.addingTimeInterval(configuration.lease.timeInterval / 2))
        if !letGo.isEmpty {
            metrics.webhookLeaseLetGo(count: letGo.count)
            logger.debug("webhook deliveries waited too long in memory; they are claimed again when their lease ends", metadata: [
                "deliveries": "\(letGo.count)"
            ])
        }
        for delivery in started {
            group.addTask { [self] in
                let outcome = await send(delivery)
                if leased.finish(delivery) { requestClaim() } else { wake.yield() }
                _ = await record(outcome, of: delivery)
            }
        }
    }

    /// Up to `limit` due deliveries, leased for `lease` (their `nextAttemptAt` is the lease's end); none
    /// when the outbox cannot be read (logged).
    private func claim(limit: Int, excluding webhooks: Set<UUID>) async -> [WebhookDelivery] {
        let now = clock()
        let leaseEnd = now.addingTimeInterval(configuration.lease.timeInterval)
        do {
            var claimed = try await outbox.claimDue(at: now, limit: limit, leaseUntil: leaseEnd, excludingWebhooks: webhooks)
            for index in claimed.indices { claimed[index].nextAttemptAt = leaseEnd }
            return claimed
        } catch is CancellationError {
            return []
        } catch {
            logger.error("webhook deliveries could not be claimed", metadata: ["error": "\(error)"])
            return []
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
