import Foundation
import NIOSSL
import StationSimulator
import SwiftASN1
import Testing

@Suite("Station simulator: TLS credentials and policy")
struct SimulatorTLSTests {
    let fixtures: SimulatorFixtures

    init() throws {
        fixtures = try SimulatorFixtures()
    }

    private func updateInfo(_ credentials: StationTLSCredentials, host: String = "127.0.0.1", port: Int) async throws -> CUPSReply {
        try await CUPSClient.updateInfo(host: host, port: port, credentials: credentials, body: Array("{}".utf8))
    }

    /// Expects the exchange to fail in the TLS handshake and returns the reason text.
    @discardableResult
    private func expectHandshakeFailure(
        _ credentials: StationTLSCredentials,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await fixtures.withServer { server in
            let error = await #expect(throws: StationConnectionError.self, sourceLocation: sourceLocation) {
                _ = try await updateInfo(credentials, port: server.port)
            }
            guard case .tlsHandshakeFailed(let reason) = error else {
                Issue.record("expected tlsHandshakeFailed, got \(String(describing: error))", sourceLocation: sourceLocation)
                return ""
            }
            return reason
        }
    }

    @Test("by default the station offers TLS 1.2 only and verifies the server's host name")
    func stationDefaults() throws {
        let credentials = try fixtures.stationCredentials()
        #expect(credentials.minimumTLSVersion == .tlsv12)
        #expect(credentials.maximumTLSVersion == .tlsv12)
        #expect(credentials.verifiesServerHostname)
        #expect(credentials.clientIdentity != nil)
    }

    @Test("a client certificate from a CA the server does not trust is refused in the handshake")
    func foreignClientCertificate() async throws {
        var credentials = try StationTLSCredentials(
            trustRootsPEM: fixtures.pki.trustPEM,
            certificateChainPEM: fixtures.pki.foreignClientCertificatePEM,
            privateKeyPEM: fixtures.pki.foreignClientKeyPEM
        )
        credentials.serverName = "localhost"
        let reason = try await expectHandshakeFailure(credentials)
        #expect(reason.contains("UNKNOWN_CA"), "\(reason)")
    }

    @Test("TLS 1.1 is refused by a server that requires TLS 1.2")
    func tls11Refused() async throws {
        var credentials = try fixtures.stationCredentials()
        credentials.minimumTLSVersion = .tlsv11
        credentials.maximumTLSVersion = .tlsv11
        let reason = try await expectHandshakeFailure(credentials)
        #expect(reason.contains("PROTOCOL_VERSION"), "\(reason)")
    }

    @Test("a CBC cipher suite is refused by a server that offers AEAD suites only")
    func cbcRefused() async throws {
        var credentials = try fixtures.stationCredentials()
        credentials.cipherSuites = [.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA]
        try await expectHandshakeFailure(credentials)
    }

    @Test("TLS 1.3 works when the station is allowed to offer it")
    func tls13() async throws {
        var credentials = try fixtures.stationCredentials()
        credentials.maximumTLSVersion = .tlsv13
        try await fixtures.withServer(cupsAnswer: .body([42])) { server in
            let reply = try await updateInfo(credentials, port: server.port)
            #expect(reply.body == [42])
        }
    }

    @Test("over TLS 1.3 a missing client certificate is still reported as a TLS failure")
    func tls13WithoutClientCertificate() async throws {
        var credentials = try fixtures.trustOnlyCredentials()
        credentials.maximumTLSVersion = .tlsv13
        let reason = try await expectHandshakeFailure(credentials)
        #expect(reason.contains("CERTIFICATE_REQUIRED"), "\(reason)")
    }

    @Test("a server name the server's certificate does not carry fails verification")
    func wrongServerName() async throws {
        var credentials = try fixtures.stationCredentials()
        credentials.serverName = "gateway.example"
        let reason = try await expectHandshakeFailure(credentials)
        #expect(reason.contains("gateway.example"), "\(reason)")
    }

    @Test("an IP host is checked against iPAddress SANs, so a DNS-only certificate needs a server name")
    func ipHostWithDNSOnlyCertificate() async throws {
        var credentials = try fixtures.stationCredentials()
        credentials.serverName = nil
        try await expectHandshakeFailure(credentials)
    }

    @Test("with host-name verification off, 127.0.0.1 works and the chain is still verified")
    func hostnameVerificationOff() async throws {
        var credentials = try fixtures.stationCredentials()
        credentials.serverName = nil
        credentials.verifiesServerHostname = false
        try await fixtures.withServer(cupsAnswer: .body([1])) { server in
            let reply = try await updateInfo(credentials, port: server.port)
            #expect(reply.body == [1])
        }
        let otherPKI = try SimulatorTestPKI()
        var untrusting = try StationTLSCredentials(
            trustRootsPEM: otherPKI.trustPEM,
            certificateChainPEM: fixtures.pki.clientCertificatePEM,
            privateKeyPEM: fixtures.pki.clientKeyPEM
        )
        untrusting.verifiesServerHostname = false
        try await expectHandshakeFailure(untrusting)
    }

    @Test("credentials load from PEM and DER files like the station's, and an empty file counts as absent")
    func files() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let trust = directory.appendingPathComponent("tc.trust")
        let certificate = directory.appendingPathComponent("tc.crt")
        let key = directory.appendingPathComponent("tc.key")
        let emptyKey = directory.appendingPathComponent("empty.key")
        try Data(try PEMDocument(pemString: fixtures.pki.trustPEM).derBytes).write(to: trust)
        try Data(fixtures.pki.clientCertificatePEM.utf8).write(to: certificate)
        try Data(try PEMDocument(pemString: fixtures.pki.clientKeyPEM).derBytes).write(to: key)
        try Data().write(to: emptyKey)

        var credentials = try StationTLSCredentials(trustFile: trust.path, certificateFile: certificate.path, keyFile: key.path)
        credentials.serverName = "localhost"
        #expect(credentials.trustRoots.count == 1)
        #expect(credentials.clientIdentity?.certificateChain.count == 1)
        try await fixtures.withServer(cupsAnswer: .body([9])) { server in
            let reply = try await updateInfo(credentials, port: server.port)
            #expect(reply.body == [9])
        }

        let trustOnly = try StationTLSCredentials(trustFile: trust.path, certificateFile: emptyKey.path, keyFile: emptyKey.path)
        #expect(trustOnly.clientIdentity == nil)
    }

    @Test("a client certificate without its key is refused")
    func certificateWithoutKey() throws {
        #expect(throws: StationCredentialsError.incompleteClientIdentity) {
            _ = try StationTLSCredentials(trustRootsPEM: fixtures.pki.trustPEM, certificateChainPEM: fixtures.pki.clientCertificatePEM)
        }
        #expect(throws: StationCredentialsError.noTrustRoots) {
            _ = try StationTLSCredentials(trustRootsPEM: "")
        }
    }
}
