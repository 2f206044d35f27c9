import Foundation

/// One event on its way to one webhook: a row of the durable outbox.
///
/// The body is the event's JSON, fixed when it is queued; the signature is made at each attempt (its
/// timestamp is the attempt's), with the application's secret and the webhook's URL as they are then.
public struct WebhookDelivery: Sendable, Equatable, Identifiable {
    public var id: UUID
    public var applicationID: ApplicationID
    public var webhookID: UUID
    /// The event's `type`, sent as `X-Gatehouse-Event` so a receiver can route before parsing.
    public var eventType: String
    public var body: [UInt8]
    public var queuedAt: Date
    /// Attempts made so far.
    public var attempts: Int
    /// When it is due (for a claimed delivery, when its lease ends).
    public var nextAttemptAt: Date

    public init(
        id: UUID, applicationID: ApplicationID, webhookID: UUID, eventType: String, body: [UInt8], queuedAt: Date, attempts: Int = 0,
        nextAttemptAt: Date
    ) {
        self.id = id
        self.applicationID = applicationID
        self.webhookID = webhookID
        self.eventType = eventType
        self.body = body
        self.queuedAt = queuedAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}
