import ApplicationServer
@testable import GatehouseServer
import NIOCore
import Testing

/// Reading `text/event-stream` as `gatehouse events` does.
@Suite("Server-sent event reader")
struct ServerSentEventReaderTests {
    @Test("events complete on a blank line, whatever the chunking; comments and unknown fields are skipped")
    func chunking() throws {
        let text = "retry: 5000\n: hello\n\nevent: uplink\ndata: {\"a\":1}\n\n: heartbeat\n\nevent: lagged\ndata: {\"dropped\":3}\n\n"
        var whole = ServerSentEventReader()
        let expected = [
            ServerSentEventReader.Event(type: "uplink", data: "{\"a\":1}"), ServerSentEventReader.Event(type: "lagged", data: "{\"dropped\":3}"),
        ]
        #expect(try whole.read(Array(text.utf8)) == expected)
        var byteByByte = ServerSentEventReader()
        var events: [ServerSentEventReader.Event] = []
        for byte in text.utf8 { events += try byteByByte.read([byte]) }
        #expect(events == expected)
    }

    @Test("CRLF and CR end lines; data lines join with LF; an event without a name is a message")
    func lineEndings() throws {
        var reader = ServerSentEventReader()
        #expect(try reader.read(Array("data: one\r\ndata:two\r\rdata: x\r".utf8)) == [ServerSentEventReader.Event(type: "message", data: "one\ntwo")])
        #expect(try reader.read(Array("\n\n".utf8)) == [ServerSentEventReader.Event(type: "message", data: "x")])
    }

    @Test("a line longer than the bound is refused")
    func longLine() {
        var reader = ServerSentEventReader()
        #expect(throws: ServerSentEventReaderError.lineTooLong) {
            try reader.read([UInt8](repeating: 0x61, count: ServerSentEventReader.maximumLineLength + 1))
        }
    }
}

/// What the event stream writes, read back as a client reads it.
@Suite("Server-sent event frames")
struct ServerSentEventFrameTests {
    @Test("a lagged marker is written as `event: lagged` with the dropped count, and reads back whole")
    func lagged() throws {
        let frame = String(buffer: ServerSentEvent.frame(.lagged(dropped: 12)))
        #expect(frame == "event: lagged\ndata: {\"type\":\"lagged\",\"dropped\":12}\n\n")
        var reader = ServerSentEventReader()
        #expect(try reader.read(Array((ServerSentEvent.opening(.all) + frame + ServerSentEvent.heartbeat).utf8)) == [
            ServerSentEventReader.Event(type: "lagged", data: "{\"type\":\"lagged\",\"dropped\":12}")
        ])
    }
}
