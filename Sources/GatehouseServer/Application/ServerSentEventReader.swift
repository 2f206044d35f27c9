/// Reads a `text/event-stream` as it arrives, chunk by chunk, into events (WHATWG HTML, "Server-sent
/// events", "Interpreting an event stream"): what `gatehouse events` does with the API's stream.
///
/// Lines end with LF, CRLF or CR; `event:` names the event, `data:` lines are joined with LF, a blank
/// line dispatches; comments (`:`), `id:`, `retry:` and unknown fields are skipped. A line longer than
/// ``maximumLineLength`` is refused, so a misbehaving server cannot make the reader hold unbounded text.
public struct ServerSentEventReader: Sendable {
    public struct Event: Sendable, Equatable {
        /// `message` when the stream named none.
        public var type: String
        public var data: String

        public init(type: String, data: String) {
            self.type = type
            self.data = data
        }
    }

    public static let maximumLineLength = 1 << 20

    private var line: [UInt8] = []
    private var afterCarriageReturn = false
    private var type = ""
    private var data: [String] = []

    public init() {}

    /// The events `bytes` completes, in order.
    public mutating func read(_ bytes: some Sequence<UInt8>) throws(ServerSentEventReaderError) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            if afterCarriageReturn {
                afterCarriageReturn = false
                // CRLF: the CR ended the line already.
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A, 0x0D:
                afterCarriageReturn = byte == 0x0D
                if let event = endLine() { events.append(event) }
            default:
                guard line.count < Self.maximumLineLength else { throw .lineTooLong }
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            defer { (type, data) = ("", []) }
            return data.isEmpty ? nil : Event(type: type.isEmpty ? "message" : type, data: data.joined(separator: "\n"))
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var value = colon < line.endIndex ? line[(colon + 1)...] : []
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        switch field {
        case "event": type = String(decoding: value, as: UTF8.self)
        case "data": data.append(String(decoding: value, as: UTF8.self))
        default: break
        }
        return nil
    }
}

public enum ServerSentEventReaderError: Error, Hashable, Sendable, CustomStringConvertible {
    case lineTooLong

    public var description: String {
        "the event stream sent a line longer than \(ServerSentEventReader.maximumLineLength) bytes"
    }
}
