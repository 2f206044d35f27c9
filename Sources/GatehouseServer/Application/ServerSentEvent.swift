import ApplicationServer
import NIOCore

/// The text of server-sent events (WHATWG HTML, "Server-sent events"): what the event stream writes.
///
/// An event is an `event:` line with its type and one `data:` line with its JSON, then a blank line.
/// The JSON is compact and escapes line breaks inside strings, so one `data:` line always carries it
/// whole. A line starting with `:` is a comment, which clients ignore: the heartbeat.
enum ServerSentEvent {
    /// How long a browser's `EventSource` waits before reconnecting after the stream ended.
    static let reconnectMilliseconds = 5000

    /// `event: <type>` and `data: <json>` for an event; `event: lagged` and
    /// `data: {"type":"lagged","dropped":N}` where events were dropped for a slow reader. An event's
    /// JSON is copied in as published: the bytes its webhooks get.
    static func frame(_ item: EventStreamItem) -> ByteBuffer {
        let type = item.type
        let json = item.json
        var buffer = ByteBuffer()
        buffer.reserveCapacity(16 + type.utf8.count + json.count)
        buffer.writeString("event: ")
        buffer.writeString(type)
        buffer.writeString("\ndata: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }

    /// The first bytes of a stream: the reconnection delay, and a comment naming what is followed.
    static func opening(_ scope: EventScope) -> String {
        "retry: \(reconnectMilliseconds)\n: gatehouse events, \(scope)\n\n"
    }

    static let heartbeat = ": heartbeat\n\n"
}
