/// An event with its JSON written once: the live stream and the webhook outbox carry these same bytes.
///
/// Every event goes to the stream's subscribers and, for a device in an application, to each of its
/// webhooks. Encoding it once where it is published, instead of once per path, saves the writer's work
/// and an allocation per reader, and makes "a webhook receives the bytes a stream subscriber reads" true
/// by construction rather than by two encoders agreeing.
public struct EncodedApplicationEvent: Sendable, Equatable {
    public let event: ApplicationEvent
    /// The UTF-8 of ``ApplicationEvent/json``: what webhook signatures cover.
    public let json: [UInt8]

    public init(_ event: ApplicationEvent) {
        self.event = event
        json = event.jsonBytes
    }

    /// The JSON `type` member.
    public var type: String { event.type }

    /// The application the event is routed to.
    public var applicationID: ApplicationID? { event.applicationID }
}
