import BackendInterfaces
import Foundation
import GatewayPKI
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import Synchronization

/// The gateway listener: one TLS port for LoRa Basics Station CUPS (`POST /update-info`) and LNS
/// (`/router-info`, `/traffic/<EUI>` websockets).
///
/// Per accepted connection: the per-address handshake limit, TLS with ``GatewayHandshakeVerifier``
/// deciding inside the handshake (a refused gateway never reaches HTTP), an idle timeout, then HTTP
/// with a websocket upgrade for the LNS paths. Each connection is served by its own task and recorded
/// in the ``GatewayConnectionRegistry``, which closes it when its certificate is revoked.
public final class GatewayListener: Sendable {
    public let configuration: GatewayListenerConfiguration
    private let tlsContext: NIOSSLContext
    private let verifier: GatewayHandshakeVerifier
    private let registry: GatewayConnectionRegistry
    private let revocation: RevocationState
    private let sessions: StationSessions
    private let rateLimiter: Mutex<HandshakeRateLimiter>
    private let logger: Logger

    public init(
        configuration: GatewayListenerConfiguration, tlsConfiguration: TLSConfiguration, verifier: GatewayHandshakeVerifier,
        registry: GatewayConnectionRegistry, revocation: RevocationState, cups: any CUPSUpdateService,
        frequencyPlans: any GatewayFrequencyPlans, traffic: any GatewayTrafficHandler, clock: @escaping @Sendable () -> Date = Date.init,
        logger: Logger
    ) throws {
        self.configuration = configuration
        self.tlsContext = try NIOSSLContext(configuration: tlsConfiguration)
        self.verifier = verifier
        self.registry = registry
        self.revocation = revocation
        self.rateLimiter = Mutex(HandshakeRateLimiter(burst: configuration.handshakeBurst, ratePerSecond: configuration.handshakesPerSecond))
        self.logger = logger
        self.sessions = StationSessions(
            configuration: configuration, registry: registry, revocation: revocation, cups: cups, frequencyPlans: frequencyPlans,
            traffic: traffic, clock: clock, logger: logger)
    }

    /// Binds, reports the bound port, and serves until the task is cancelled; then closes every
    /// station connection.
    public func run(onBound: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let server = try await bind()
        await onBound(server.channel.localAddress?.port ?? configuration.port)
        logger.notice("gateway listener (CUPS and LNS) bound", metadata: ["port": "\(server.channel.localAddress?.port ?? 0)"])
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await server.executeThenClose { inbound in
                        for try await accepted in inbound {
                            group.addTask { await self.sessions.serve(accepted) }
                        }
                    }
                } catch {
                    self.logger.error("gateway listener stopped accepting", metadata: ["error": "\(error)"])
                }
                self.registry.closeAll()
            }
        } onCancel: {
            server.channel.close(promise: nil)
            self.registry.closeAll()
        }
    }

    private func bind() async throws -> NIOAsyncChannel<AcceptedStation, Never> {
        let configuration = configuration
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.bindHost, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture { () throws -> AcceptedStation in
                    try self.configure(channel)
                }
            }
    }

    /// Builds one connection's pipeline; runs on its event loop.
    private func configure(_ channel: any Channel) throws -> AcceptedStation {
        let remote = channel.remoteAddress
        let remoteText = remote.map(Self.describe) ?? "unknown"
        if let key = remote.flatMap(HandshakeRateLimiter.key(for:)) {
            let admitted = rateLimiter.withLock { $0.admit(key, at: .now) }
            guard admitted else {
                verifier.reporter.refused(.rateLimited, gateway: nil, remoteAddress: remoteText)
                throw GatewayListenerError.handshakeRateExceeded
            }
        }
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(verifier.makeServerHandler(context: tlsContext, remoteAddress: remoteText))
        try sync.addHandler(HandshakeFailureReportingHandler(reporter: verifier.reporter))
        try sync.addHandler(IdleStateHandler(readTimeout: configuration.idleTimeout))
        try sync.addHandler(CloseOnIdleHandler())
        let maximumFrame = configuration.maximumMessageBytes
        let upgrader = NIOTypedWebSocketServerUpgrader<StationUpgrade>(
            maxFrameSize: maximumFrame,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(StationWebSocketRoute(path: head.uri) == nil ? nil : HTTPHeaders())
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    guard let route = StationWebSocketRoute(path: head.uri) else { throw GatewayListenerError.unknownPath }
                    let socket = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel)
                    return StationUpgrade.websocket(socket, route: route)
                }
            })
        var http = NIOUpgradableHTTPServerPipelineConfiguration<StationUpgrade>(
            upgradeConfiguration: .init(upgraders: [upgrader]) { channel in
                channel.eventLoop.makeCompletedFuture {
                    StationUpgrade.http(try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel))
                }
            })
        http.enablePipelining = false
        let negotiated = try sync.configureUpgradableHTTPServerPipeline(configuration: http)
        return AcceptedStation(channel: channel, remoteAddress: remoteText, negotiated: negotiated)
    }

    /// `203.0.113.7:40312` or `[2001:db8::1]:40312`.
    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress else { return address.description }
        if case .v6 = address { return "[\(ip)]:\(address.port ?? 0)" }
        return "\(ip):\(address.port ?? 0)"
    }
}

/// A connection whose pipeline is built; `negotiated` completes after the TLS handshake and the first
/// HTTP request (upgraded to a websocket or not).
struct AcceptedStation: Sendable {
    let channel: any Channel
    let remoteAddress: String
    let negotiated: EventLoopFuture<StationUpgrade>
}

enum GatewayListenerError: Error {
    case handshakeRateExceeded
    case unknownPath
}
