#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// One of the gateway port's listening sockets (``GatewayListeningSockets``): bound on one event
/// loop, which accepts, sets up and serves every connection the socket accepts, and keeps those
/// connections until they close, so that closing the socket can close them too.
final class ListeningSocket: Sendable {
    private let channel: any Channel
    private let accepted: AcceptedConnections

    private init(channel: any Channel, accepted: AcceptedConnections) {
        self.channel = channel
        self.accepted = accepted
    }

    /// `SO_REUSEPORT`: every loop's socket binds the same address and port.
    private static let reusePort = ChannelOptions.Types.SocketOption(level: .socket, name: .init(rawValue: SO_REUSEPORT))

    /// Binds a socket on `loop` whose connections stay on `loop`.
    /// - Parameter configure: builds an accepted connection's pipeline, on `loop`.
    static func bind(
        to address: SocketAddress, on loop: any EventLoop, backlog: Int32, configure: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> ListeningSocket {
        let accepted = AcceptedConnections(eventLoop: loop)
        // `group: loop` makes `loop` the child group as well: a connection is never handed to
        // another loop. Built with the future-based API, not `NIOAsyncChannel`: an accepted
        // connection wakes no task (see `GatewayListener.run`).
        let channel = try await ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(reusePort, value: 1)
            .serverChannelInitializer { channel in
                // Out of file descriptors or memory: pause accepting a moment instead of spinning on
                // a ready socket (what the async bootstrap adds by itself).
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler(shouldForwardIOErrorCaught: false))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try configure(channel)
                    accepted.record(channel)
                }
            }
            .bind(to: address).get()
        return ListeningSocket(channel: channel, accepted: accepted)
    }

    var port: Int? { channel.localAddress?.port }
    var eventLoop: any EventLoop { channel.eventLoop }
    var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// How many connections this socket accepted are still open.
    func openConnections() async throws -> Int {
        try await channel.eventLoop.submit { self.accepted.count }.get()
    }

    /// Stops accepting, then closes every connection this socket accepted; completes when the
    /// listening socket is closed.
    func close() -> EventLoopFuture<Void> {
        channel.eventLoop.flatSubmit {
            self.channel.close(promise: nil)
            self.accepted.closeAll()
            return self.channel.closeFuture
        }
    }
}

/// The connections one listening socket accepted that are still open. Touched only on the
/// socket's event loop, so recording a connection takes no lock.
private final class AcceptedConnections: Sendable {
    private let open: NIOLoopBoundBox<[ObjectIdentifier: any Channel]>

    init(eventLoop: any EventLoop) {
        open = .makeBoxSendingValue([:], eventLoop: eventLoop)
    }

    /// Keeps `channel` until it closes.
    func record(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        open.value[id] = channel
        channel.closeFuture.assumeIsolated().whenComplete { _ in self.open.value[id] = nil }
    }

    var count: Int { open.value.count }

    func closeAll() {
        for channel in Array(open.value.values) { channel.close(promise: nil) }
    }
}
