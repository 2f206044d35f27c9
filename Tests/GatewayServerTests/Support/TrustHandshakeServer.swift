import GatewayServer
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509

/// How a server-side TLS handshake ended.
enum TrustHandshakeOutcome: Sendable, Equatable {
    /// The server read application data: only a completed handshake decrypts any.
    case completed
    case failed(String)
    case closedBeforeHandshake
}

/// A gateway TLS listener as the server wires one: `GatewayTLSPolicy`, the verifier's callback per
/// connection and the failure reporter, on 127.0.0.1 and an ephemeral port. Reports each
/// connection's handshake outcome; the test shuts it down.
final class TrustHandshakeServer: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    let outcomes: AsyncStream<TrustHandshakeOutcome>
    let identity: TrustServerIdentity

    var port: Int { channel.localAddress?.port ?? 0 }

    init(verifier: GatewayHandshakeVerifier) async throws {
        identity = try TrustServerIdentity()
        let context = try NIOSSLContext(
            configuration: try GatewayTLSPolicy.serverConfiguration(certificateChain: [identity.certificate], privateKey: identity.privateKey))
        let (stream, continuation) = AsyncStream<TrustHandshakeOutcome>.makeStream()
        outcomes = stream
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let remote = channel.remoteAddress?.description
                    try channel.pipeline.syncOperations.addHandler(verifier.makeServerHandler(context: context, remoteAddress: remote))
                    try channel.pipeline.syncOperations.addHandler(HandshakeFailureReportingHandler(reporter: verifier.reporter))
                    try channel.pipeline.syncOperations.addHandler(TrustHandshakeProbe(continuation: continuation))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func shutdown() async throws {
        try await channel.close()
        try await group.shutdownGracefully()
    }

    /// The outcome of the next connection's handshake.
    func nextOutcome() async -> TrustHandshakeOutcome? {
        var iterator = outcomes.makeAsyncIterator()
        return await iterator.next()
    }

    /// Connects as a gateway presenting `chain` (leaf first) with `key`, or no certificate; returns
    /// the server-side outcome.
    func connect(
        presenting chain: [Certificate], key: Certificate.PrivateKey?, tlsVersion: TLSVersion? = nil, cipherSuites: [NIOTLSCipher]? = nil
    ) async throws -> TrustHandshakeOutcome? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = try chain.map { .certificate(try NIOSSLCertificate(bytes: try TrustPKI.der($0), format: .der)) }
        if let key { configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: try key.serializeAsPEM().derBytes, format: .der)) }
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: try TrustPKI.der(identity.certificate), format: .der)])
        configuration.certificateVerification = .noHostnameVerification
        if let tlsVersion {
            configuration.minimumTLSVersion = tlsVersion
            configuration.maximumTLSVersion = tlsVersion
        }
        if let cipherSuites { configuration.cipherSuiteValues = cipherSuites }
        let context = try NIOSSLContext(configuration: configuration)
        let client = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        // Written once the client's handshake is done; the server reads it only if its own completes.
        try? await client.writeAndFlush(ByteBuffer(string: "ping"))
        let outcome = await nextOutcome()
        try? await client.close()
        return outcome
    }
}

/// Reports the server side of one handshake: completed (application data arrived), failed with
/// an error, or closed first.
final class TrustHandshakeProbe: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    private let continuation: AsyncStream<TrustHandshakeOutcome>.Continuation
    private var reported = false

    init(continuation: AsyncStream<TrustHandshakeOutcome>.Continuation) {
        self.continuation = continuation
    }

    private func report(_ outcome: TrustHandshakeOutcome) {
        guard !reported else { return }
        reported = true
        continuation.yield(outcome)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        report(.completed)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        report(.failed(String(describing: error)))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        report(.closedBeforeHandshake)
        context.fireChannelInactive()
    }
}
