import ApplicationServer

/// The text of server-sent events (WHATWG HTML, "Server-sent events"): what the event stream writes.
///
/// An event is an `event:` line with its type and one `data:` line with its JSON, then a blank line.
/// The JSON is compact and escapes line breaks inside strings, so one `data:` line always carries it
/// whole. A line starting with `:` is a comment, which clients ignore: the heartbeat.
enum ServerSentEvent {
    /// How long a browser's `EventSource` waits before reconnecting after the stream ended.
    static let reconnectMilliseconds = 5000

    /// `event: <type>` and `data: <json>` for an event; `event: lagged` and
    /// `data: {"type":"lagged","dropped":N}` where events were dropped for a slow reader.
    static func frame(_ item: EventStreamItem) -> String {
        let type: String
        switch item {
        case .event(let event): type = event.type
        case .lagged: type = "lagged"
        }
        return "event: \(type)\ndata: \(item.json)\n\n"
    }

    /// The first bytes of a stream: the reconnection delay, and a comment naming what is followed.
    static func opening(_ scope: EventScope) -> String {
        "retry: \(reconnectMilliseconds)\n: gatehouse events, \(scope)\n\n"
    }

    static let heartbeat = ": heartbeat\n\n"
}
