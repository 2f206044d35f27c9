import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import NIOCore
import NIOSSL
import Testing
import X509

/// Real TLS: a NIO server with `GatewayTLSPolicy` and the verifier's callback on 127.0.0.1, and a
/// NIO TLS client presenting a gateway certificate, as a Basics Station (or curl) would.
@Suite("Gateway TLS handshake")
struct GatewayHandshakeTests {
    let pki: TrustPKI
    let harness: TrustVerifierHarness

    init() throws {
        // The real clock: BoringSSL and the client check the server certificate's dates against it.
        pki = try TrustPKI(now: Date())
        harness = TrustVerifierHarness(pki: pki)
    }

    private func withServer(_ body: (TrustHandshakeServer) async throws -> Void) async throws {
        let server = try await TrustHandshakeServer(verifier: harness.verifier)
        do {
            try await body(server)
        } catch {
            try await server.shutdown()
            throw error
        }
        try await server.shutdown()
    }

    @Test("a registered gateway presenting only its leaf completes the handshake", arguments: [TLSVersion.tlsv12, .tlsv13])
    func goodCertificate(version: TLSVersion) async throws {
        let credentials = try pki.issue()
        try await withServer { server in
            let outcome = try await server.connect(presenting: [credentials.certificate], key: credentials.privateKey, tlsVersion: version)
            #expect(outcome == .completed)
        }
        #expect(harness.observation.admissions == 1)
        #expect(harness.observation.allRefusals == 0)
    }

    @Test("a revoked gateway certificate fails the handshake, and the refusal is logged and counted", arguments: [TLSVersion.tlsv12, .tlsv13])
    func revokedCertificate(version: TLSVersion) async throws {
        let credentials = try pki.issue()
        harness.revocation.markRevoked(serials: [credentials.serial])
        try await withServer { server in
            let outcome = try await server.connect(presenting: [credentials.certificate], key: credentials.privateKey, tlsVersion: version)
            guard case .failed = outcome else {
                Issue.record("the handshake of a revoked certificate ended \(String(describing: outcome))")
                return
            }
        }
        #expect(harness.observation.refusals(.revoked) == 1)
        #expect(harness.observation.allRefusals == 1)
        #expect(harness.observation.admissions == 0)
        let line = try #require(harness.observation.log.refusals(labelled: "revoked").first)
        #expect(line.metadata["gateway"] == TrustPKI.gateway.description)
        #expect(line.metadata["remote"]?.contains("127.0.0.1") == true)
    }

    @Test("a client without a certificate fails the handshake, refused as no certificate", arguments: [TLSVersion.tlsv12, .tlsv13])
    func noCertificate(version: TLSVersion) async throws {
        try await withServer { server in
            let outcome = try await server.connect(presenting: [], key: nil, tlsVersion: version)
            guard case .failed = outcome else {
                Issue.record("a client without a certificate ended \(String(describing: outcome))")
                return
            }
        }
        #expect(harness.observation.refusals(.noCertificate) == 1)
        #expect(harness.observation.allRefusals == 1)
    }

    @Test("a client offering only CBC suites over TLS 1.2 cannot connect")
    func cbcOnlyClient() async throws {
        let credentials = try pki.issue()
        try await withServer { server in
            let outcome = try await server.connect(
                presenting: [credentials.certificate], key: credentials.privateKey, tlsVersion: .tlsv12,
                cipherSuites: [.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, .TLS_RSA_WITH_AES_128_GCM_SHA256])
            #expect(outcome != .completed)
        }
        #expect(harness.observation.admissions == 0)
    }

    @Test("a client limited to TLS 1.1 cannot connect")
    func oldProtocol() async throws {
        let credentials = try pki.issue()
        try await withServer { server in
            let outcome = try await server.connect(presenting: [credentials.certificate], key: credentials.privateKey, tlsVersion: .tlsv11)
            #expect(outcome != .completed)
        }
        #expect(harness.observation.admissions == 0)
    }
}
