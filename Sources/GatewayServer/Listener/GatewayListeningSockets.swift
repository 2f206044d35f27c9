import NIOCore
import NIOPosix

/// The gateway port's listening sockets: one per event loop of the group, all bound to the same
/// address and port with `SO_REUSEPORT`, so the kernel spreads new connections over the loops and
/// each connection is accepted, handshaken and served on the loop whose socket accepted it.
///
/// One socket accepting for every loop hands each connection it accepts to the next loop in turn:
/// a cross-thread wake-up (and the hops back and forth to set the connection up) before the TLS
/// handshake has even started.
///
/// The sockets join one `SO_REUSEPORT` group, which Linux opens only to sockets of the same user
/// that also set the option. So that a second Gatehouse of the same user started on the same port
/// fails to bind instead of silently taking half of the gateways, a configured port is first bound
/// once without the option (``refuseIfTaken(_:on:)``).
final class GatewayListeningSockets: Sendable {
    /// The port every socket is bound to: the configured one, or the one the system chose for the
    /// first socket when the configured port is 0.
    let port: Int
    let sockets: [ListeningSocket]

    private init(port: Int, sockets: [ListeningSocket]) {
        self.port = port
        self.sockets = sockets
    }

    /// Binds one socket on every loop of `group`.
    /// - Parameters:
    ///   - configure: builds an accepted connection's pipeline, on its loop; a connection it throws
    ///     for is closed.
    static func bind(
        host: String, port: Int, group: any EventLoopGroup, backlog: Int32,
        configure: @escaping @Sendable (any Channel) throws -> Void
    ) async throws -> GatewayListeningSockets {
        var address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        if port != 0 {
            try await refuseIfTaken(address, on: group.next())
        }
        var sockets: [ListeningSocket] = []
        do {
            for loop in group.makeIterator() {
                let socket = try await ListeningSocket.bind(to: address, on: loop, backlog: backlog, configure: configure)
                sockets.append(socket)
                // The others join the first one's port, which is the one the system chose for port 0.
                address.port = socket.port
            }
        } catch {
            for socket in sockets { try? await socket.close().get() }
            throw error
        }
        return GatewayListeningSockets(port: address.port ?? port, sockets: sockets)
    }

    /// Binds `address` without `SO_REUSEPORT` and lets it go: fails with "address in use" when anything
    /// listens there, another Gatehouse's `SO_REUSEPORT` group included.
    private static func refuseIfTaken(_ address: SocketAddress, on loop: any EventLoop) async throws {
        let probe = try await ServerBootstrap(group: loop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(to: address).get()
        try await probe.close().get()
    }

    /// Closes every listening socket and every connection they accepted (in its handshake, waiting
    /// for its first request, or in a session); completes when the listening sockets are closed.
    func close() async {
        for socket in sockets { try? await socket.close().get() }
    }

    /// Starts closing everything without waiting, from anywhere (a cancellation handler).
    func startClosing() {
        for socket in sockets { _ = socket.close() }
    }

    /// Calls `body` once, when the first listening socket closes, whoever closed it.
    func whenFirstClosed(_ body: @escaping @Sendable () -> Void) {
        guard let loop = sockets.first?.eventLoop else { return }
        let first = loop.makePromise(of: Void.self)
        for socket in sockets { socket.closeFuture.cascade(to: first) }
        first.futureResult.whenComplete { _ in body() }
    }
}
