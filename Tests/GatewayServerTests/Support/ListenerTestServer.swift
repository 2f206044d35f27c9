import BackendInterfaces
import Foundation
import GatewayPKI
@testable import GatewayServer
import LoRaWAN
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SwiftASN1
import X509

/// A ``GatewayListener`` as the server wires one (``GatewayTLSPolicy``, the standard verifier with
/// the test gateway registered and held in memory) on 127.0.0.1, with an event loop group of its
/// own, running in a task until ``stop()``; and TLS clients presenting the gateway's certificate.
final class ListenerTestServer: Sendable {
    let harness: TrustVerifierHarness
    let credentials: TrustGatewayCredentials
    let serverIdentity: TrustServerIdentity
    let registry = GatewayConnectionRegistry()
    let group: MultiThreadedEventLoopGroup
    let clientGroup: MultiThreadedEventLoopGroup
    let sockets: GatewayListeningSockets
    private let running: Task<Void, any Error>

    var port: Int { sockets.port }

    /// Starts a listener with `loops` event loops.
    init(loops: Int, port: Int = 0, handshakeBurst: Int = 1000, handshakesPerSecond: Double = 1000) async throws {
        // The real clock: BoringSSL and the client check the server certificate's dates against it.
        let pki = try TrustPKI(now: Date())
        harness = TrustVerifierHarness(pki: pki, directory: TrustDirectory(registered: [TrustPKI.gateway], inMemory: true))
        credentials = try pki.issue()
        serverIdentity = try TrustServerIdentity()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: loops)
        let clientGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        self.clientGroup = clientGroup
        let listener = try GatewayListener(
            configuration: GatewayListenerConfiguration(
                bindHost: "127.0.0.1", port: port, handshakeBurst: handshakeBurst, handshakesPerSecond: handshakesPerSecond),
            tlsConfiguration: try GatewayTLSPolicy.serverConfiguration(
                certificateChain: [serverIdentity.certificate], privateKey: serverIdentity.privateKey),
            verifier: harness.verifier, registry: registry, revocation: harness.revocation, cups: UnansweredCUPS(),
            frequencyPlans: NoFrequencyPlans(), traffic: IgnoredTraffic(), eventLoopGroup: group,
            logger: harness.observation.logger)
        let (bound, binding) = AsyncThrowingStream.makeStream(of: GatewayListeningSockets.self)
        running = Task {
            do {
                try await listener.run(onListening: { sockets in binding.yield(sockets) })
                binding.finish()
            } catch {
                binding.finish(throwing: error)
                throw error
            }
        }
        var iterator = bound.makeAsyncIterator()
        do {
            guard let sockets = try await iterator.next() else { throw ChannelError.ioOnClosedChannel }
            self.sockets = sockets
        } catch {
            try? await clientGroup.shutdownGracefully()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Cancels the listener and waits for it to return.
    func stop() async throws {
        running.cancel()
        try await running.value
    }

    func shutdown() async throws {
        try await clientGroup.shutdownGracefully()
        try await group.shutdownGracefully()
    }

    /// How many connections each listening socket holds open.
    func openConnectionsPerSocket() async throws -> [Int] {
        var counts: [Int] = []
        for socket in sockets.sockets { counts.append(try await socket.openConnections()) }
        return counts
    }

    private func clientTLS() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = [.certificate(try NIOSSLCertificate(bytes: try TrustPKI.der(credentials.certificate), format: .der))]
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: try credentials.privateKey.serializeAsPEM().derBytes, format: .der))
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: try TrustPKI.der(serverIdentity.certificate), format: .der)])
        configuration.certificateVerification = .noHostnameVerification
        return try NIOSSLContext(configuration: configuration)
    }

    /// One HTTP request as the gateway, over mutual TLS; the raw response, read until the server closes.
    func exchange(_ request: String) async throws -> String {
        let context = try clientTLS()
        let channel = try await ClientBootstrap(group: clientGroup).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var response = ""
            do {
                for try await chunk in inbound { response += String(buffer: chunk) }
            } catch {
                // The server may close without TLS close_notify once it has answered.
            }
            return response
        }
    }

    /// A connection as the gateway that makes its TLS handshake and then sends nothing. (The
    /// server's side of it is done when the verifier has counted its admission.)
    func connectAuthenticated() async throws -> any Channel {
        let context = try clientTLS()
        return try await ClientBootstrap(group: clientGroup)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// A TCP connection that never starts TLS.
    func connectPlain() async throws -> any Channel {
        try await ClientBootstrap(group: clientGroup).connect(host: "127.0.0.1", port: port).get()
    }
}

/// Sockets listening on `port` (any address), as the kernel lists them in /proc/net/tcp and tcp6.
func kernelListeningSockets(port: Int) throws -> Int {
    // /proc/net/tcp is read in pages while other sockets come and go (the whole test suite runs beside
    // this), so one reading can skip or repeat a line: take the most frequent of several readings.
    var readings: [Int: Int] = [:]
    for _ in 0..<7 { readings[listeningSocketsOnce(port: port), default: 0] += 1 }
    return readings.max { $0.value < $1.value }?.key ?? 0
}

private func listeningSocketsOnce(port: Int) -> Int {
    let listen = "0A"
    var count = 0
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        // Read to the end: a /proc file reports size 0, and a reader sized by it may stop after the
        // first page, which with the whole suite's sockets need not hold this port's lines.
        guard let handle = FileHandle(forReadingAtPath: table), let data = try? handle.readToEnd() else { continue }
        try? handle.close()
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, let local = fields[1].split(separator: ":").last, Int(local, radix: 16) == port else { continue }
            if fields[3] == listen { count += 1 }
        }
    }
    return count
}

/// Runs `body`, failing if it takes longer than `limit`: a liveness bound, so that a missing event
/// fails the test instead of hanging it.
func within<T: Sendable>(_ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw ListenerTestTimeout(description: "\(what) took longer than \(limit)") }
        return value
    }
}

struct ListenerTestTimeout: Error, CustomStringConvertible {
    var description: String
}

/// The CUPS service of a listener test: never reached by the requests the tests send.
struct UnansweredCUPS: CUPSUpdateService {
    struct NotExpected: Error {}
    func answer(_ request: CUPSUpdateRequest, from gateway: GatewayIdentity, listenerPort: Int) async throws -> CUPSAnswer {
        throw NotExpected()
    }
}

struct NoFrequencyPlans: GatewayFrequencyPlans {
    func frequencyPlan(of gateway: EUI64) async throws -> Region? { nil }
}

struct IgnoredTraffic: GatewayTrafficHandler {
    func uplinkReceived(_ uplink: GatewayUplink) async {}
    func downlinkTransmitted(_ event: GatewayDownlinkTransmitted) async {}
}
