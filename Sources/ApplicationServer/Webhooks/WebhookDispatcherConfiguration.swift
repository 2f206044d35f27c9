/// How hard the webhook dispatcher works.
public struct WebhookDispatcherConfiguration: Sendable, Equatable {
    /// Deliveries claimed from the outbox in one pass.
    public var batchSize: Int
    /// Requests in flight at once.
    public var maximumConcurrentAttempts: Int
    /// Requests in flight at once to one webhook (in ``WebhookDispatcher/run()``, which may briefly
    /// reach twice this): a receiver that is slow or hangs until the transport's timeout holds these
    /// slots, not all of them.
    public var maximumConcurrentAttemptsPerWebhook: Int
    /// How long a claimed delivery is reserved to this dispatcher. Longer than the transport's
    /// timeout, so that a slow attempt is not started again elsewhere while it is still running.
    public var lease: Duration
    /// How often the outbox is polled when no event woke the dispatcher: retries fall due, and other
    /// instances sharing the database queue deliveries this one was not told about.
    public var pollInterval: Duration

    public init(
        batchSize: Int = 128, maximumConcurrentAttempts: Int = 64, maximumConcurrentAttemptsPerWebhook: Int = 16, lease: Duration = .seconds(300),
        pollInterval: Duration = .seconds(1)
    ) {
        self.batchSize = max(1, batchSize)
        self.maximumConcurrentAttempts = max(1, maximumConcurrentAttempts)
        self.maximumConcurrentAttemptsPerWebhook = max(1, maximumConcurrentAttemptsPerWebhook)
        self.lease = lease
        self.pollInterval = pollInterval
    }
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
