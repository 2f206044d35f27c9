/// What a live-stream subscriber receives: events, and a marker where events were dropped because it
/// read too slowly.
public enum EventStreamItem: Sendable, Equatable {
    case event(EncodedApplicationEvent)
    /// `dropped` events, the oldest the subscriber had not read yet, were discarded to keep its buffer
    /// bounded. The marker comes where they would have been: before the events still buffered.
    case lagged(dropped: Int)

    /// The JSON `type` member: the event's, or `lagged`.
    public var type: String {
        switch self {
        case .event(let event): event.type
        case .lagged: "lagged"
        }
    }

    /// The item as one JSON object in UTF-8: the event's bytes as published (the same a webhook gets), or
    /// `{"type":"lagged","dropped":N}`.
    public var json: [UInt8] {
        switch self {
        case .event(let event): return event.json
        case .lagged(let dropped):
            var writer = EventJSONWriter()
            writer.string("type", "lagged")
            writer.integer("dropped", dropped)
            return Array(writer.finished().utf8)
        }
    }
}

/// Which events a live-stream subscriber receives.
public enum EventScope: Sendable, Hashable, CustomStringConvertible {
    /// Every event, those of devices in no application included (the operator's view).
    case all
    /// The events of one application's devices.
    case application(ApplicationID)

    public var description: String {
        switch self {
        case .all: "all"
        case .application(let id): "application \(id)"
        }
    }
}
