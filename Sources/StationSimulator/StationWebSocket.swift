import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A station's websocket to the LNS (Basics Station protocol §3.1): `/router-info` for discovery or
/// `/traffic/<EUI>` for traffic, over the station's TLS.
///
/// The upgrade request is the station's (`Host: host:port`, `Upgrade: websocket`, a
/// `Sec-WebSocket-Key`, version 13); the server's `Sec-WebSocket-Accept` is checked as well, which the
/// station skips. Frames the simulator sends are masked (RFC 6455 §5.3); frames the server sends must
/// be what a station accepts: unfragmented, unmasked, no reserved bits, at most `maxFrameSize` bytes.
/// Pings are answered with pongs and the server's close is echoed without waiting for `receive()`.
///
/// One task at a time may `receive()`; any task may `send`.
public final class StationWebSocket: Sendable {
    /// A message from the server.
    public enum Message: Sendable, Hashable {
        /// A text frame: the protocol's JSON messages.
        case text(String)
        /// A binary frame: only the remote shell (rmtsh) uses these.
        case binary([UInt8])
    }

    /// The largest frame the station can receive: it has a 40 KiB receive buffer and no 64-bit lengths
    /// (Basics Station protocol §3.1).
    public static let stationMaxFrameSize = 40 * 1024

    /// The connection, for its addresses and its close future.
    public let channel: any Channel
    private let inbox: WebSocketInbox

    private init(channel: any Channel, inbox: WebSocketInbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// The code of the server's close frame, once `receive()` has returned `nil` because of one; `nil`
    /// if the connection closed without a close frame.
    public var closeCode: WebSocketErrorCode? { inbox.closeCode }

    /// Opens a websocket with credentials used for this connection only. Building the TLS context
    /// costs more than the connection; for many connections use a `StationConnectionFactory`.
    public static func connect(
        host: String,
        port: Int,
        path: String,
        credentials: StationTLSCredentials,
        maxFrameSize: Int = stationMaxFrameSize,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> StationWebSocket {
        let connections = try StationConnectionFactory(credentials: credentials, eventLoopGroup: eventLoopGroup)
        return try await connect(host: host, port: port, path: path, connections: connections, maxFrameSize: maxFrameSize)
    }

    /// Opens a websocket to `path` on `host:port` with a factory's shared TLS context.
    public static func connect(
        host: String,
        port: Int,
        path: String,
        connections: StationConnectionFactory,
        maxFrameSize: Int = stationMaxFrameSize
    ) async throws(StationConnectionError) -> StationWebSocket {
        let connection = try await connections.connect(host: host, port: port) { channel in
            let inbox = WebSocketInbox(channel: channel)
            let upgrader = NIOTypedWebSocketClientUpgrader<WebSocketUpgradeOutcome>(
                maxFrameSize: maxFrameSize,
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(StationWebSocketFrameHandler(inbox: inbox))
                        return .upgraded(inbox)
                    }
                }
            )
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            head.headers.add(name: "Host", value: CUPSClient.hostHeader(host: host, port: port))
            let upgrade = NIOTypedHTTPClientUpgradeConfiguration<WebSocketUpgradeOutcome>(
                upgradeRequestHead: head,
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let reader = UpgradeRefusalReader(eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.addHandler(reader)
                        return .refused(reader.status)
                    }
                }
            )
            return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                configuration: NIOUpgradableHTTPClientPipelineConfiguration(upgradeConfiguration: upgrade)
            )
        }
        switch try await connection.value(of: connection.output) {
        case .upgraded(let inbox):
            return StationWebSocket(channel: connection.channel, inbox: inbox)
        case .refused(let status):
            let status = try await connection.value(of: status)
            connection.channel.close(promise: nil)
            throw .upgradeRefused(status: status)
        }
    }

    /// Sends a text frame (one JSON object per frame, as the station does).
    public func send(text: String) async throws(StationConnectionError) {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        try await send(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: buffer))
    }

    /// Sends a binary frame.
    public func send(binary: [UInt8]) async throws(StationConnectionError) {
        var buffer = channel.allocator.buffer(capacity: binary.count)
        buffer.writeBytes(binary)
        try await send(WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: buffer))
    }

    private func send(_ frame: WebSocketFrame) async throws(StationConnectionError) {
        guard !inbox.hasEnded else { throw .notConnected }
        do {
            try await channel.writeAndFlush(frame).get()
        } catch {
            throw .notConnected
        }
    }

    /// The next message from the server, or `nil` once the server closed the connection (see
    /// `closeCode`). Messages that arrived before the close are returned first. Throws when the server
    /// broke the framing rules or the connection failed.
    public func receive() async throws(StationConnectionError) -> Message? {
        try await inbox.receive()
    }

    /// Sends a close frame with `code` and closes the connection without waiting for the server's
    /// echo. Does nothing if the connection is already closed.
    public func close(code: WebSocketErrorCode = .normalClosure) async {
        if channel.isActive {
            var payload = channel.allocator.buffer(capacity: 2)
            payload.write(webSocketErrorCode: code)
            let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: payload)
            try? await channel.writeAndFlush(frame).get()
        }
        try? await channel.close().get()
    }
}

/// What the HTTP upgrade came to: a websocket, or the status of a refusal.
enum WebSocketUpgradeOutcome: Sendable {
    case upgraded(WebSocketInbox)
    case refused(EventLoopFuture<HTTPResponseStatus>)
}
