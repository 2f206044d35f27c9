import Metrics
import Synchronization

/// In-process fan-out of application events to live subscribers (the server-sent-events and websocket
/// endpoints, `gatehouse events --follow`).
///
/// ``publish(_:)`` never waits: each subscriber has its own bounded buffer (``EventSubscription``), so
/// a slow or stuck subscriber loses its own oldest events, not the pipeline's time. Events are not
/// kept for subscribers who are not connected; webhooks are the durable path.
public final class EventStream: Sendable {
    /// How many unread events each subscriber may have before the oldest are dropped.
    public let bufferSize: Int
    private let subscribers = Mutex(Subscribers())
    private let droppedCounter = Counter(label: "gatehouse_event_stream_dropped_total")

    public init(bufferSize: Int = 1024) {
        self.bufferSize = max(1, bufferSize)
    }

    /// A new subscription to `scope`'s events from now on.
    public func subscribe(_ scope: EventScope) -> EventSubscription {
        let mailbox = EventMailbox(capacity: bufferSize)
        let id = subscribers.withLock { $0.add(mailbox, scope: scope) }
        return EventSubscription(scope: scope, mailbox: mailbox) { [weak self] in
            self?.subscribers.withLock { $0.remove(id, scope: scope) }
        }
    }

    /// Whether anyone is subscribed: when nobody is, an event need not be encoded for the stream.
    public var hasSubscribers: Bool {
        subscribers.withLock { !$0.all.isEmpty || !$0.byApplication.isEmpty }
    }

    /// Encodes `event` and hands it to every subscriber of all events and of its application.
    public func publish(_ event: ApplicationEvent) {
        publish(EncodedApplicationEvent(event))
    }

    /// Hands `event`, encoded once for every reader, to every subscriber of all events and of its
    /// application.
    public func publish(_ event: EncodedApplicationEvent) {
        let dropped = subscribers.withLock { subscribers in
            var dropped = 0
            for mailbox in subscribers.all.values where mailbox.deliver(event) { dropped += 1 }
            if let application = event.applicationID, let mailboxes = subscribers.byApplication[application] {
                for mailbox in mailboxes.values where mailbox.deliver(event) { dropped += 1 }
            }
            return dropped
        }
        if dropped > 0 { droppedCounter.increment(by: dropped) }
    }

    /// Subscribers currently connected.
    public var subscriberCount: Int {
        subscribers.withLock { $0.all.count + $0.byApplication.values.reduce(0) { $0 + $1.count } }
    }

    private struct Subscribers {
        var nextID = 0
        var all: [Int: EventMailbox] = [:]
        var byApplication: [ApplicationID: [Int: EventMailbox]] = [:]

        mutating func add(_ mailbox: EventMailbox, scope: EventScope) -> Int {
            defer { nextID += 1 }
            switch scope {
            case .all: all[nextID] = mailbox
            case .application(let id): byApplication[id, default: [:]][nextID] = mailbox
            }
            return nextID
        }

        mutating func remove(_ id: Int, scope: EventScope) {
            switch scope {
            case .all: all[id] = nil
            case .application(let application):
                byApplication[application]?[id] = nil
                if byApplication[application]?.isEmpty == true { byApplication[application] = nil }
            }
        }
    }
}
