import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import Synchronization

/// The smallest server a station can talk to, for testing the station simulator: mutual TLS on
/// 127.0.0.1, `POST /update-info` answered with a fixed (or deliberately broken) reply, and
/// `/router-info` upgraded to a websocket that echoes and obeys a few commands.
///
/// Websocket commands (text frames): `close:<code>` closes with that code and waits for the echo;
/// `ping:<payload>` sends a ping, and the pong comes back as the text `pong:<payload>`; `fragment`
/// sends a frame without FIN; `burst:<n>` sends the texts `0` … `n-1`; `drop` closes the connection
/// without a close frame. Anything else is echoed.
final class SimulatorTestServer: Sendable {
    /// How `POST /update-info` is answered.
    enum CUPSAnswer: Sendable {
        /// 200 with a `Content-Length` body.
        case body([UInt8])
        /// 200 with chunked encoding (no `Content-Length`).
        case chunked([UInt8])
        /// 200 announcing `declared` bytes, then `body` and a close.
        case truncated(declared: Int, body: [UInt8])
        /// 200 with a `Content-Length` body and `extra` bytes after it.
        case trailing(body: [UInt8], extra: [UInt8])
        /// `status` with an empty body.
        case status(HTTPResponseStatus)
    }

    /// A request the server received on `/update-info`.
    struct CUPSRequest: Sendable {
        var head: HTTPRequestHead
        var body: [UInt8]
    }

    let port: Int
    /// Close codes the websocket server received from clients (their echo of its close, or their own
    /// close); `nil` when a client closed without a close frame.
    let receivedCloseCodes: AsyncStream<WebSocketErrorCode?>
    private let serverChannel: any Channel
    private let registry: ServerRegistry

    private init(
        port: Int,
        serverChannel: any Channel,
        registry: ServerRegistry,
        receivedCloseCodes: AsyncStream<WebSocketErrorCode?>
    ) {
        self.port = port
        self.serverChannel = serverChannel
        self.registry = registry
        self.receivedCloseCodes = receivedCloseCodes
    }

    /// The `/update-info` requests received so far.
    var receivedCUPSRequests: [CUPSRequest] { registry.requests.withLock { $0 } }

    /// The server's TLS: its certificate, client certificates required and verified against the test
    /// CA (`noHostnameVerification`, the standard setting for a server), TLS 1.2 or 1.3, AEAD suites only.
    static func tlsConfiguration(_ pki: SimulatorTestPKI) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(pki.serverCertificatePEM.utf8))
        let key = try NIOSSLPrivateKey(bytes: Array(pki.serverKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pki.trustPEM.utf8)))
        configuration.minimumTLSVersion = .tlsv12
        configuration.cipherSuiteValues = [
            .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        ]
        return configuration
    }

    /// Starts a server on 127.0.0.1 on a free port.
    static func start(pki: SimulatorTestPKI, cupsAnswer: CUPSAnswer = .body([])) async throws -> SimulatorTestServer {
        let sslContext = try NIOSSLContext(configuration: tlsConfiguration(pki))
        let (closeCodes, closeCodeSink) = AsyncStream.makeStream(of: WebSocketErrorCode?.self)
        let registry = ServerRegistry()
        let serverChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                registry.accept(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try Self.configure(channel, sslContext: sslContext, cupsAnswer: cupsAnswer, registry: registry, closeCodeSink: closeCodeSink)
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return SimulatorTestServer(
            port: serverChannel.localAddress?.port ?? 0,
            serverChannel: serverChannel,
            registry: registry,
            receivedCloseCodes: closeCodes
        )
    }

    private static func configure(
        _ channel: any Channel,
        sslContext: NIOSSLContext,
        cupsAnswer: CUPSAnswer,
        registry: ServerRegistry,
        closeCodeSink: AsyncStream<WebSocketErrorCode?>.Continuation
    ) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(NIOSSLServerHandler(context: sslContext))
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 1 << 16,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(head.uri == "/router-info" ? HTTPHeaders() : nil)
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.removeHandler(context: pipeline.context(handlerType: CUPSResponder.self), promise: nil)
                    try pipeline.addHandler(EchoWebSocketHandler(closeCodeSink: closeCodeSink))
                }
            }
        )
        try pipeline.configureHTTPServerPipeline(withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
        try pipeline.addHandler(CUPSResponder(answer: cupsAnswer, registry: registry))
    }

    /// Stops listening and closes every connection still open.
    func shutdown() async {
        try? await serverChannel.close()
        for child in registry.children.withLock({ $0 }) {
            try? await child.close()
        }
    }
}

/// What the server's connections share: the connections themselves and the CUPS requests received.
private final class ServerRegistry: Sendable {
    let children = Mutex<[any Channel]>([])
    let requests = Mutex<[SimulatorTestServer.CUPSRequest]>([])

    func accept(_ channel: any Channel) {
        children.withLock { $0.append(channel) }
    }

    func record(_ request: SimulatorTestServer.CUPSRequest) {
        requests.withLock { $0.append(request) }
    }
}

/// Answers `POST /update-info` as configured, `/forbidden` with 403 and anything else with 404, then
/// closes the connection.
private final class CUPSResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let answer: SimulatorTestServer.CUPSAnswer
    private let registry: ServerRegistry
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(answer: SimulatorTestServer.CUPSAnswer, registry: ServerRegistry) {
        self.answer = answer
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let chunk):
            body.append(contentsOf: chunk.readableBytesView)
        case .end:
            guard let head else { return }
            respond(context: context, to: head)
        }
    }

    private func respond(context: ChannelHandlerContext, to head: HTTPRequestHead) {
        switch (head.method, head.uri) {
        case (.POST, "/update-info"):
            registry.record(.init(head: head, body: body))
            answerCUPS(context: context)
        case (_, "/forbidden"):
            send(context: context, status: .forbidden, headers: ["Content-Length": "0"], chunks: [])
        default:
            send(context: context, status: .notFound, headers: ["Content-Length": "0"], chunks: [])
        }
    }

    private func answerCUPS(context: ChannelHandlerContext) {
        switch answer {
        case .body(let body):
            send(context: context, status: .ok, headers: ["Content-Length": "\(body.count)"], chunks: [body])
        case .chunked(let body):
            send(context: context, status: .ok, headers: ["Transfer-Encoding": "chunked"], chunks: [body])
        case .truncated(let declared, let body):
            send(context: context, status: .ok, headers: ["Content-Length": "\(declared)"], chunks: [body], end: false)
        case .trailing(let body, let extra):
            send(context: context, status: .ok, headers: ["Content-Length": "\(body.count)"], chunks: [body, extra])
        case .status(let status):
            send(context: context, status: status, headers: ["Content-Length": "0"], chunks: [])
        }
    }

    private func send(
        context: ChannelHandlerContext,
        status: HTTPResponseStatus,
        headers: HTTPHeaders,
        chunks: [[UInt8]],
        end: Bool = true
    ) {
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        for chunk in chunks where !chunk.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: chunk)))), promise: nil)
        }
        let written: EventLoopFuture<Void> =
            if end {
                context.writeAndFlush(wrapOutboundOut(.end(nil)))
            } else {
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer()))))
            }
        written.assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

/// The websocket side: echoes, and obeys the commands listed on `SimulatorTestServer`.
private final class EchoWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let closeCodeSink: AsyncStream<WebSocketErrorCode?>.Continuation
    private var closeSent = false
    private var closeReported = false

    init(closeCodeSink: AsyncStream<WebSocketErrorCode?>.Continuation) {
        self.closeCodeSink = closeCodeSink
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.maskKey != nil else {
            // RFC 6455 §5.1: a server closes the connection on an unmasked client frame.
            sendClose(context: context, code: .protocolError)
            return
        }
        switch frame.opcode {
        case .text:
            command(context: context, String(buffer: frame.unmaskedData))
        case .binary:
            send(context: context, WebSocketFrame(fin: true, opcode: .binary, data: frame.unmaskedData))
        case .pong:
            send(context: context, text: "pong:" + String(buffer: frame.unmaskedData))
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readWebSocketErrorCode()
            reportClose(code)
            if closeSent {
                context.close(promise: nil)
            } else {
                sendClose(context: context, code: code ?? .normalClosure)
            }
        default:
            break
        }
    }

    private func command(context: ChannelHandlerContext, _ text: String) {
        if text.hasPrefix("close:"), let code = Int(text.dropFirst("close:".count)) {
            closeSent = true
            var payload = context.channel.allocator.buffer(capacity: 2)
            payload.write(webSocketErrorCode: WebSocketErrorCode(codeNumber: code))
            send(context: context, WebSocketFrame(fin: true, opcode: .connectionClose, data: payload))
        } else if text.hasPrefix("ping:") {
            send(context: context, WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer(string: String(text.dropFirst("ping:".count)))))
        } else if text == "fragment" {
            send(context: context, WebSocketFrame(fin: false, opcode: .text, data: ByteBuffer(string: "part")))
        } else if text.hasPrefix("burst:"), let count = Int(text.dropFirst("burst:".count)) {
            for index in 0..<count {
                context.write(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: "\(index)"))), promise: nil)
            }
            context.flush()
        } else if text == "drop" {
            context.close(promise: nil)
        } else {
            send(context: context, text: text)
        }
    }

    private func send(context: ChannelHandlerContext, text: String) {
        send(context: context, WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
    }

    private func send(context: ChannelHandlerContext, _ frame: WebSocketFrame) {
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    private func sendClose(context: ChannelHandlerContext, code: WebSocketErrorCode) {
        closeSent = true
        var payload = context.channel.allocator.buffer(capacity: 2)
        payload.write(webSocketErrorCode: code)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload)))
            .assumeIsolated()
            .whenComplete { _ in context.close(promise: nil) }
    }

    private func reportClose(_ code: WebSocketErrorCode?) {
        guard !closeReported else { return }
        closeReported = true
        closeCodeSink.yield(code)
    }

    func channelInactive(context: ChannelHandlerContext) {
        reportClose(nil)
        context.fireChannelInactive()
    }
}
