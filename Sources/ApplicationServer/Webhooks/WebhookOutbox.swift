import Foundation

/// The durable queue of webhook deliveries. `Storage` implements it on SQLite and PostgreSQL; the
/// Application Server's restart safety is this protocol's contract:
///
/// - ``enqueue(_:)`` returns only once the deliveries are stored: a crash after it loses nothing. A
///   delivery stored with a `nextAttemptAt` in the future (the dispatcher's hand-over lease) is not
///   claimed before then.
/// - ``claimDue(at:limit:leaseUntil:excludingWebhooks:)`` hands each due delivery to one claimant at a time, across
///   processes sharing a database (PostgreSQL: `FOR UPDATE SKIP LOCKED`), by moving its
///   `nextAttemptAt` to `leaseUntil`. A claimant that dies before marking the delivery leaves it to be
///   claimed again once the lease ends: delivery is at least once.
/// - A delivery leaves the queue only through ``markDelivered(_:)`` or ``markDead(_:attempts:reason:)``
///   (dead deliveries are kept for inspection, not retried).
///
/// Infrastructure failures are thrown.
public protocol WebhookOutbox: Sendable {
    func enqueue(_ deliveries: [WebhookDelivery]) async throws
    /// Up to `limit` deliveries whose `nextAttemptAt` is at or before `time`, oldest due first, each
    /// leased to the caller until `leaseUntil` (returned with it as `nextAttemptAt`), skipping those for
    /// `excludingWebhooks` (webhooks with a full round of attempts: a slow receiver must not take every
    /// slot).
    func claimDue(at time: Date, limit: Int, leaseUntil: Date, excludingWebhooks: Set<UUID>) async throws -> [WebhookDelivery]
    /// Removes delivered deliveries, in one transaction.
    func markDelivered(_ ids: [UUID]) async throws
    /// Records a failed attempt and when to try again.
    func reschedule(_ id: UUID, attempts: Int, nextAttemptAt: Date, lastError: String) async throws
    /// Gives up on a delivery (refused by the receiver, webhook removed, or too old).
    func markDead(_ id: UUID, attempts: Int, reason: String) async throws
}
