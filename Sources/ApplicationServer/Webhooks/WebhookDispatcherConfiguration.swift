/// How hard the webhook dispatcher works.
public struct WebhookDispatcherConfiguration: Sendable, Equatable {
    /// Deliveries claimed from the outbox in one transaction. Claims carry retries, deliveries queued
    /// by other instances or before a restart, and those queued here while memory was full; the
    /// deliveries queued here otherwise are handed over without a claim.
    public var batchSize: Int
    /// Requests in flight at once.
    public var maximumConcurrentAttempts: Int
    /// Requests in flight at once to one webhook: a receiver that is slow or hangs until the transport's
    /// timeout holds these slots, not all of them.
    public var maximumConcurrentAttemptsPerWebhook: Int
    /// Deliveries leased to this dispatcher and waiting in memory for an attempt slot. Beyond it, new
    /// events are stored due at once and wait in the outbox for a claim; one webhook may hold a quarter
    /// of it (at least its attempt slots), so a slow receiver cannot take every place.
    public var maximumWaitingDeliveries: Int
    /// How long a delivery is reserved to this dispatcher once claimed, or once queued and handed over
    /// in memory: another claimant takes it only after that. An attempt starts only while more than half
    /// of its lease remains, and the transport ends every attempt within half a lease, so a delivery is
    /// never sent by two dispatchers at once. After a crash, the deliveries it held are sent again
    /// (by any instance) once their lease ended.
    public var lease: Duration
    /// How often the outbox is polled for due deliveries: retries fall due, and other instances sharing
    /// the database queue deliveries this one was not handed.
    public var pollInterval: Duration

    public init(
        batchSize: Int = 256, maximumConcurrentAttempts: Int = 128, maximumConcurrentAttemptsPerWebhook: Int = 32,
        maximumWaitingDeliveries: Int = 8192, lease: Duration = .seconds(120), pollInterval: Duration = .seconds(1)
    ) {
        self.batchSize = max(1, batchSize)
        self.maximumConcurrentAttempts = max(1, maximumConcurrentAttempts)
        self.maximumConcurrentAttemptsPerWebhook = max(1, maximumConcurrentAttemptsPerWebhook)
        self.maximumWaitingDeliveries = max(1, maximumWaitingDeliveries)
        self.lease = lease
        self.pollInterval = pollInterval
    }

    /// Waiting deliveries one webhook may hold.
    var maximumWaitingPerWebhook: Int { max(maximumConcurrentAttemptsPerWebhook, maximumWaitingDeliveries / 4) }
}

/// What one dispatch pass did.
public struct WebhookDispatchSummary: Sendable, Equatable {
    public var claimed = 0
    public var delivered = 0
    public var retried = 0
    public var dead = 0

    public init(claimed: Int = 0, delivered: Int = 0, retried: Int = 0, dead: Int = 0) {
        self.claimed = claimed
        self.delivered = delivered
        self.retried = retried
        self.dead = dead
    }
}
