import Foundation
@testable import GatewayServer
import NIOCore
import NIOPosix
import Testing

/// The gateway listener's sockets, with real TLS clients: one listening socket per event loop on one
/// port, connections served where they were accepted, and everything closed when the listener stops.
@Suite("Gateway listener: a listening socket per event loop")
struct GatewayListenerSocketTests {
    private static let loops = 3

    @Test("with port 0 every event loop listens on the one port the system chose, and concurrent connections all succeed")
    func everyLoopListensOnOnePort() async throws {
        let server = try await ListenerTestServer(loops: Self.loops)
        do {
            #expect(server.port != 0)
            #expect(server.sockets.sockets.count == Self.loops)
            #expect(server.sockets.sockets.allSatisfy { $0.port == server.port })
            #expect(try kernelListeningSockets(port: server.port) == Self.loops)

            // Each answer comes from a session task: handshake, first request, hand-over, response.
            let answers = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<24 {
                    group.addTask { try await server.exchange("GET /update-info HTTP/1.1\r\nHost: localhost\r\n\r\n") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count == 24)
            #expect(answers.allSatisfy { $0.hasPrefix("HTTP/1.1 405") }, "\(answers.filter { !$0.hasPrefix("HTTP/1.1 405") })")
            #expect(server.harness.observation.admissions == 24)
        } catch {
            try? await server.stop()
            try await server.shutdown()
            throw error
        }
        try await server.stop()
        #expect(try kernelListeningSockets(port: server.port) == 0)
        try await server.shutdown()
    }

    @Test("connections are accepted on several loops, and stopping the listener closes its sockets and every connection, whatever its stage")
    func stoppingClosesEverything() async throws {
        let server = try await ListenerTestServer(loops: Self.loops)
        var held: [any Channel] = []
        do {
            // Past the handshake and waiting for the first request, or still before TLS.
            for _ in 0..<12 { held.append(try await server.connectAuthenticated()) }
            for _ in 0..<6 { held.append(try await server.connectPlain()) }
            let heldCount = held.count
            let counts = try await within(.seconds(10), "the listener accepting every connection and admitting every gateway") {
                while true {
                    let counts = try await server.openConnectionsPerSocket()
                    if counts.reduce(0, +) == heldCount, server.harness.observation.admissions == 12 { return counts }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            // The kernel spreads connections over the sockets by their addresses and ports: 18 on
            // one socket of 3 would be a 1-in-10^8 draw.
            #expect(counts.filter { $0 > 0 }.count >= 2, "open connections per socket: \(counts)")
        } catch {
            try? await server.stop()
            try await server.shutdown()
            throw error
        }
        try await within(.seconds(10), "stopping the listener") { try await server.stop() }
        for channel in held {
            try await within(.seconds(5), "the server closing a held connection") {
                // On timeout the client closes, so the failure is reported now, not at the idle timeout.
                try await withTaskCancellationHandler { try await channel.closeFuture.get() } onCancel: { channel.close(promise: nil) }
            }
        }
        #expect(try kernelListeningSockets(port: server.port) == 0)
        await #expect(throws: (any Error).self) { try await server.connectPlain().close() }
        try await server.shutdown()
    }

    @Test("a port another socket holds without SO_REUSEPORT is refused at bind, as before")
    func portInUseIsRefused() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let other = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(other.localAddress?.port)
        await #expect(throws: (any Error).self) { try await ListenerTestServer(loops: Self.loops, port: port).shutdown() }
        #expect(try kernelListeningSockets(port: port) == 1)
        try await other.close()
        try await group.shutdownGracefully()
    }

    @Test("a second listener on the port of a running one is refused at bind, not let into its SO_REUSEPORT group")
    func secondListenerIsRefused() async throws {
        let first = try await ListenerTestServer(loops: Self.loops)
        await #expect(throws: (any Error).self) { try await ListenerTestServer(loops: Self.loops, port: first.port).shutdown() }
        #expect(try kernelListeningSockets(port: first.port) == Self.loops)
        try await first.stop()
        try await first.shutdown()
    }

    @Test("the per-address handshake limit still refuses connections past the burst, before TLS, counted as rate_limited")
    func handshakeLimit() async throws {
        let server = try await ListenerTestServer(loops: Self.loops, handshakeBurst: 3, handshakesPerSecond: 0.001)
        var answers: [String] = []
        for _ in 0..<5 {
            answers.append((try? await server.exchange("GET /update-info HTTP/1.1\r\nHost: localhost\r\n\r\n")) ?? "")
        }
        #expect(answers.filter { $0.hasPrefix("HTTP/1.1 405") }.count == 3)
        #expect(server.harness.observation.refusals(.rateLimited) == 2)
        #expect(server.harness.observation.admissions == 3)
        try await server.stop()
        try await server.shutdown()
    }
}
