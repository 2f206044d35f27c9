import NIOCore
import NIOPosix
import StationSimulator

/// Shared set-up for the station simulator tests.
struct SimulatorFixtures {
    let pki: SimulatorTestPKI

    init() throws {
        pki = try SimulatorTestPKI()
    }

    /// A station's mutual-TLS credentials for the test server, verifying it as `localhost` (the
    /// server's certificate has only DNS SANs, which NIOSSL does not match against an IP address).
    func stationCredentials() throws -> StationTLSCredentials {
        var credentials = try StationTLSCredentials(
            trustRootsPEM: pki.trustPEM,
            certificateChainPEM: pki.clientCertificatePEM,
            privateKeyPEM: pki.clientKeyPEM
        )
        credentials.serverName = "localhost"
        return credentials
    }

    /// Credentials with trust only: the station verifies the server but presents no certificate.
    func trustOnlyCredentials() throws -> StationTLSCredentials {
        var credentials = try StationTLSCredentials(trustRootsPEM: pki.trustPEM)
        credentials.serverName = "localhost"
        return credentials
    }

    /// Runs `body` against a fresh test server and shuts the server down afterwards, also on failure.
    @discardableResult
    func withServer<Result>(
        cupsAnswer: SimulatorTestServer.CUPSAnswer = .body([]),
        _ body: (SimulatorTestServer) async throws -> Result
    ) async throws -> Result {
        let server = try await SimulatorTestServer.start(pki: pki, cupsAnswer: cupsAnswer)
        do {
            let result = try await body(server)
            await server.shutdown()
            return result
        } catch {
            await server.shutdown()
            throw error
        }
    }

    /// A port on 127.0.0.1 where nothing listens (it was bound, then released).
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

extension StationConnectionError {
    /// Whether this is a TLS handshake failure, whatever its text.
    var isTLSHandshakeFailure: Bool {
        if case .tlsHandshakeFailed = self { return true }
        return false
    }
}
