import NIOCore
import NIOHTTP1
import NIOPosix

/// The CUPS side of a station: one `POST /update-info` per connection, then the connection is closed,
/// as the station does (Basics Station protocol §2.1).
///
/// The request is the station's, byte for byte where it matters: `Host: host:port`,
/// `Content-Type: application/json`, and the `Content-Length` value right-aligned in five characters.
/// The answer is read whole; a missing `Content-Length`, a body cut short or bytes beyond it are
/// errors, as they are for the station (§2.2). Any status is returned: a refusal is a reply, not an
/// error.
public struct CUPSClient: Sendable {
    /// Where connections come from: one TLS context for every request.
    public let connections: StationConnectionFactory

    public init(connections: StationConnectionFactory) {
        self.connections = connections
    }

    /// Sends `body` (the JSON request of §2.1) to the CUPS server at `host:port`.
    public func updateInfo(host: String, port: Int, body: [UInt8]) async throws(StationConnectionError) -> CUPSReply {
        let head = Self.requestHead(host: host, port: port, contentLength: body.count)
        let connection = try await connections.connect(host: host, port: port) { channel in
            var buffer = channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            let exchange = CUPSExchangeHandler(request: head, body: buffer, eventLoop: channel.eventLoop)
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(exchange)
            return exchange.reply
        }
        return try await connection.value(of: connection.output)
    }

    /// Sends one `POST /update-info` with credentials that are used for this request only. Building
    /// the TLS context costs more than the request; for many requests keep a `CUPSClient`.
    public static func updateInfo(
        host: String,
        port: Int,
        credentials: StationTLSCredentials,
        body: [UInt8],
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> CUPSReply {
        let connections = try StationConnectionFactory(credentials: credentials, eventLoopGroup: eventLoopGroup)
        return try await CUPSClient(connections: connections).updateInfo(host: host, port: port, body: body)
    }

    /// The station's request head (src/cups.c): the Content-Length printed with `%5d`.
    static func requestHead(host: String, port: Int, contentLength: Int) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/update-info")
        head.headers.add(name: "Host", value: hostHeader(host: host, port: port))
        head.headers.add(name: "Content-Type", value: "application/json")
        let length = String(contentLength)
        head.headers.add(name: "Content-Length", value: String(repeating: " ", count: max(0, 5 - length.count)) + length)
        return head
    }

    /// `host:port`, with an IPv6 literal in brackets (RFC 9110 §7.2).
    static func hostHeader(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
