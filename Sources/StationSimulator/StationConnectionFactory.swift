import NIOCore
import NIOPosix
import NIOSSL

/// Makes a station's TLS connections to one server (CUPS or LNS) with one set of credentials.
///
/// Building a `NIOSSLContext` parses the trust store, the certificate chain and the key; a factory does
/// it once and every connection shares the context, so a benchmark can open thousands of connections
/// without paying for it each time. Connections run on the injected event loop group (by default
/// `MultiThreadedEventLoopGroup.singleton`); no connection has a thread of its own.
public struct StationConnectionFactory: Sendable {
    /// The credentials the shared TLS context was built from.
    public let credentials: StationTLSCredentials
    /// Where connections run.
    public let eventLoopGroup: any EventLoopGroup
    let sslContext: NIOSSLContext

    public init(
        credentials: StationTLSCredentials,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(StationCredentialsError) {
        self.credentials = credentials
        self.eventLoopGroup = eventLoopGroup
        do {
            self.sslContext = try NIOSSLContext(configuration: credentials.makeTLSConfiguration())
        } catch {
            throw .invalidTLSConfiguration(String(describing: error))
        }
    }

    /// Sends one `POST /update-info` to the CUPS server at `host:port` and reads its answer.
    public func updateInfo(host: String, port: Int, body: [UInt8]) async throws(StationConnectionError) -> CUPSReply {
        try await CUPSClient(connections: self).updateInfo(host: host, port: port, body: body)
    }

    /// Opens a websocket to `path` (`/router-info` or `/traffic/<EUI>`) on the LNS at `host:port`.
    public func connectWebSocket(
        host: String,
        port: Int,
        path: String,
        maxFrameSize: Int = StationWebSocket.stationMaxFrameSize
    ) async throws(StationConnectionError) -> StationWebSocket {
        try await StationWebSocket.connect(host: host, port: port, path: path, connections: self, maxFrameSize: maxFrameSize)
    }

    /// Connects to `host:port` and runs `initializer` on the new channel after adding TLS to it.
    ///
    /// The initializer's result comes with the TLS observer's verdict, which tells a TLS failure from
    /// other failures once the exchange has gone wrong.
    func connect<Output: Sendable>(
        host: String,
        port: Int,
        initializer: @escaping @Sendable (any Channel) throws -> Output
    ) async throws(StationConnectionError) -> StationConnection<Output> {
        let sslContext = self.sslContext
        let serverHostname = credentials.serverHostname(connectingTo: host)
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        do {
            return try await bootstrap.connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                    try channel.pipeline.syncOperations.addHandler(tls)
                    let observer = TLSSessionObserver(eventLoop: channel.eventLoop)
                    try channel.pipeline.syncOperations.addHandler(observer)
                    let output = try initializer(channel)
                    return StationConnection(channel: channel, tlsFailure: observer.tlsFailure, output: output)
                }
            }
        } catch {
            if StationConnectionError.isTLSError(error) {
                throw .tlsHandshakeFailed(String(describing: error))
            }
            throw .connectionFailed(String(describing: error))
        }
    }
}

/// A connected channel, what its initializer set up, and the TLS observer's verdict.
struct StationConnection<Output: Sendable>: Sendable {
    let channel: any Channel
    /// Completes with `nil` once the server's first application data arrived over TLS, or with the
    /// reason the TLS session failed before that.
    let tlsFailure: EventLoopFuture<String?>
    let output: Output

    /// Closes the channel and explains `error`: a TLS failure if the TLS observer saw one, otherwise
    /// `error` itself.
    func failure(after error: any Error) async -> StationConnectionError {
        channel.close(promise: nil)
        if let reason = try? await tlsFailure.get() {
            return .tlsHandshakeFailed(reason)
        }
        return StationConnectionError(mapping: error)
    }

    /// Waits for `future`, closing the channel if the waiting task is cancelled.
    func value<Value: Sendable>(of future: EventLoopFuture<Value>) async throws(StationConnectionError) -> Value {
        do {
            return try await withTaskCancellationHandler {
                try await future.get()
            } onCancel: { [channel] in
                channel.close(promise: nil)
            }
        } catch {
            if Task.isCancelled {
                channel.close(promise: nil)
                throw .cancelled
            }
            throw await failure(after: error)
        }
    }
}
