import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// What the test server saw of one request.
struct ReceivedRequest: Sendable {
    var method: HTTPMethod
    var contentType: String?
    var body: [UInt8]
}

/// The test server's answer to one request.
struct TestReply: Sendable {
    var status: HTTPResponseStatus
    var body: [UInt8]
}

/// The requests a test server received, in order.
final class ReceivedRequests: Sendable {
    private let requests = Mutex<[ReceivedRequest]>([])

    func append(_ request: ReceivedRequest) { requests.withLock { $0.append(request) } }
    var all: [ReceivedRequest] { requests.withLock { $0 } }
}

/// A real HTTPS server on 127.0.0.1 for one test: TLS 1.2+, a client certificate from the test CA
/// required, one request per connection. It listens only while `body` runs, on a port the OS picks.
enum TestJoinServer {
    @discardableResult
    static func run<T>(
        pki: TestPKI, reply: @escaping @Sendable (ReceivedRequest) -> TestReply,
        _ body: (_ port: Int, _ received: ReceivedRequests) async throws -> T
    ) async throws -> T {
        var tls = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: [.certificate(pki.serverCertificate)], privateKey: .privateKey(pki.serverKey),
            trustRoots: .certificates([pki.caCertificate]))
        tls.minimumTLSVersion = .tlsv12
        let context = try NIOSSLContext(configuration: tls)
        let received = ReceivedRequests()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(TestJoinServerHandler(received: received, reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        let result: T
        do {
            result = try await body(port, received)
        } catch {
            try? await channel.close()
            throw error
        }
        try await channel.close()
        return result
    }

    /// A port on 127.0.0.1 where nothing listens: bound by the OS, then released.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

/// Collects one request, answers it with the test's reply, and closes the connection.
private final class TestJoinServerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let received: ReceivedRequests
    private let reply: @Sendable (ReceivedRequest) -> TestReply
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(received: ReceivedRequests, reply: @escaping @Sendable (ReceivedRequest) -> TestReply) {
        self.received = received
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = ReceivedRequest(method: head.method, contentType: head.headers.first(name: "Content-Type"), body: body)
            received.append(request)
            let answer = reply(request)
            let headers = HTTPHeaders([
                ("Content-Type", "application/json"), ("Content-Length", "\(answer.body.count)"), ("Connection", "close"),
            ])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: answer.status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: answer.body)))), promise: nil)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A refused client certificate ends up here; the connection is over.
        context.close(promise: nil)
    }
}
