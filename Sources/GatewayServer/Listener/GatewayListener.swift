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
/// with a websocket upgrade for the LNS paths. Each event loop accepts on its own socket
/// (``GatewayListeningSockets``) and keeps the connections it accepts; a connection whose handshake
/// and first request are done is served by its own task and recorded in the
/// ``GatewayConnectionRegistry``, which closes it when its certificate is revoked.
public final class GatewayListener: Sendable {
    public let configuration: GatewayListenerConfiguration
    private let tlsContext: NIOSSLContext
    private let verifier: GatewayHandshakeVerifier
    private let registry: GatewayConnectionRegistry
    private let revocation: RevocationState
    private let sessions: StationSessions
    private let rateLimiter: Mutex<HandshakeRateLimiter>
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    /// - Parameter eventLoopGroup: the loops that accept and serve connections, one listening
    ///   socket each.
    public init(
        configuration: GatewayListenerConfiguration, tlsConfiguration: TLSConfiguration, verifier: GatewayHandshakeVerifier,
        registry: GatewayConnectionRegistry, revocation: RevocationState, cups: any CUPSUpdateService,
        frequencyPlans: any GatewayFrequencyPlans, traffic: any GatewayTrafficHandler, clock: @escaping @Sendable () -> Date = Date.init,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) throws {
        self.configuration = configuration
        self.tlsContext = try NIOSSLContext(configuration: tlsConfiguration)
        self.verifier = verifier
        self.registry = registry
        self.revocation = revocation
        self.rateLimiter = Mutex(HandshakeRateLimiter(burst: configuration.handshakeBurst, ratePerSecond: configuration.handshakesPerSecond))
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.sessions = StationSessions(
            configuration: configuration, registry: registry, revocation: revocation, cups: cups, frequencyPlans: frequencyPlans,
            traffic: traffic, clock: clock, logger: logger)
    }

    /// Binds, reports the bound port, and serves until the task is cancelled; then closes every
    /// station connection.
    public func run(onBound: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await run(onListening: { sockets in await onBound(sockets.port) })
    }

    /// ``run(onBound:)``, handing over the listening sockets themselves (tests look into them).
    func run(onListening: @escaping @Sendable (GatewayListeningSockets) async -> Void) async throws {
        // Connections whose handshake and first request are done, from every loop: the first point
        // where a connection wakes a task (this one, which starts the session's task). Unbounded,
        // as the accepted connections it holds exist already; the loop below only starts tasks.
        let (negotiated, arrivals) = AsyncStream.makeStream(of: NegotiatedStation.self)
        let sockets = try await GatewayListeningSockets.bind(
            host: configuration.bindHost, port: configuration.port, group: eventLoopGroup, backlog: 1024
        ) { channel in
            try self.configure(channel, arrivals: arrivals)
        }
        sockets.whenFirstClosed { arrivals.finish() }
        await onListening(sockets)
        logger.notice("gateway listener (CUPS and LNS) bound", metadata: ["port": "\(sockets.port)", "sockets": "\(sockets.sockets.count)"])
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await station in negotiated {
                    group.addTask { await self.sessions.serve(station) }
                }
                if !Task.isCancelled { self.logger.error("gateway listener stopped accepting: a listening socket closed") }
                await sockets.close()
                self.registry.closeAll()
            }
        } onCancel: {
            arrivals.finish()
            sockets.startClosing()
            self.registry.closeAll()
        }
    }

    /// Builds one connection's pipeline, on the loop that accepted it.
    ///
    /// The connection goes to a session task only once its TLS handshake and first request are
    /// done (`arrivals`); until then everything happens on its loop. One that ends before (a
    /// refused or abandoned handshake, a peer that leaves) is closed here and wakes no task.
    private func configure(_ channel: any Channel, arrivals: AsyncStream<NegotiatedStation>.Continuation) throws {
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
        let tls = verifier.makeServerHandler(context: tlsContext, remoteAddress: remoteText)
        try sync.addHandler(tls)
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
        negotiated.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let upgrade):
                // Read here, where the TLS handler lives: asking from the task would be two more hops.
                let station = NegotiatedStation(channel: channel, remoteAddress: remoteText, upgrade: upgrade, peerCertificate: tls.peerCertificate)
                if case .terminated = arrivals.yield(station) { channel.close(promise: nil) }
            case .failure:
                // A refused handshake (already logged and counted by the verifier), or a peer that left.
                channel.close(promise: nil)
            }
        }
    }

    /// `203.0.113.7:40312` or `[2001:db8::1]:40312`.
    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress else { return address.description }
        if case .v6 = address { return "[\(ip)]:\(address.port ?? 0)" }
        return "\(ip):\(address.port ?? 0)"
    }
}

/// A connection past its TLS handshake and first HTTP request (upgraded to a websocket or not),
/// ready for its session.
struct NegotiatedStation: Sendable {
    let channel: any Channel
    let remoteAddress: String
    let upgrade: StationUpgrade
    /// The client certificate the verifier admitted; `nil` only if swift-nio-ssl lost it.
    let peerCertificate: NIOSSLCertificate?
}

enum GatewayListenerError: Error {
    case handshakeRateExceeded
    case unknownPath
}
