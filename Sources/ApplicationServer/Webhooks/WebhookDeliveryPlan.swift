import Foundation

/// When to try a webhook delivery again: exponential back-off (1 s, 2 s, 4 s ... doubling), capped at
/// 10 minutes, with jitter, until 24 hours after the event was queued; then the delivery is dead.
///
/// Pure: the random draw is an argument, so a schedule is reproducible in a test.
///
/// Jitter only shortens a delay, by up to ``jitterFraction`` of it: no retry waits longer than the
/// cap, and retries of many deliveries that failed together (a receiver that was down) spread out
/// instead of arriving at once every 10 minutes.
public struct WebhookDeliveryPlan: Sendable, Equatable {
    public var initialDelay: TimeInterval
    public var maximumDelay: TimeInterval
    /// How long after it was queued a delivery is retried at all.
    public var giveUpAfter: TimeInterval
    /// The largest share of a delay the jitter removes (0 disables jitter).
    public var jitterFraction: Double

    public init(initialDelay: TimeInterval = 1, maximumDelay: TimeInterval = 600, giveUpAfter: TimeInterval = 86_400, jitterFraction: Double = 0.2) {
        self.initialDelay = max(0, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
        self.giveUpAfter = max(0, giveUpAfter)
        self.jitterFraction = min(1, max(0, jitterFraction))
    }

    /// The delay after failed attempt number `attempt` (1 for the first attempt), before jitter:
    /// `initialDelay × 2^(attempt − 1)`, at most `maximumDelay`.
    public func backoff(attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        return min(maximumDelay, initialDelay * pow(2, min(exponent, 1023)))
    }

    /// When to make the next attempt after attempt number `attempt` failed at `time`, for a delivery
    /// queued at `queuedAt`; `nil` when that would be later than `giveUpAfter` after `queuedAt`: give up.
    ///
    /// - Parameter jitter: a uniform random draw in `0..<1`; 0 gives the exact back-off.
    public func nextAttempt(after time: Date, attempt: Int, queuedAt: Date, jitter: Double) -> Date? {
        let draw = jitter.isFinite ? min(max(jitter, 0), 1) : 0
        let delay = backoff(attempt: attempt) * (1 - jitterFraction * draw)
        let next = time.addingTimeInterval(delay)
        return next.timeIntervalSince(queuedAt) <= giveUpAfter ? next : nil
    }
}
