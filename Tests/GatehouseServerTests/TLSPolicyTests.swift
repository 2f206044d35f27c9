import GatehouseServer
import Testing

/// Each refusal is checked by the alert the *server* sends, and with the client's own security
/// level lowered to 0, so a refusal by a strict local OpenSSL cannot pass for the server's.
@Suite("TLS policy of the API listener")
struct TLSPolicyTests {
    @Test("TLS 1.1 is refused")
    func tls11IsRefused() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            let result = try await ExternalTool.handshake(with: endpoint, options: ["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"])
            #expect(result.exitCode != 0)
            #expect(result.standardError.contains("alert protocol version"))
        }
    }

    @Test("TLS 1.2 CBC suites are refused", arguments: ["ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384"])
    func cbcIsRefused(cipher: String) async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            let result = try await ExternalTool.handshake(with: endpoint, options: ["-tls1_2", "-cipher", "\(cipher):@SECLEVEL=0"])
            #expect(result.exitCode != 0)
            #expect(result.standardError.contains("alert handshake failure"))
        }
    }

    @Test("TLS 1.2 static RSA key exchange is refused")
    func staticRSAIsRefused() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            let result = try await ExternalTool.handshake(with: endpoint, options: ["-tls1_2", "-cipher", "AES128-GCM-SHA256:@SECLEVEL=0"])
            #expect(result.exitCode != 0)
            #expect(result.standardError.contains("alert handshake failure"))
        }
    }

    @Test(
        "TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305 is accepted",
        arguments: ["ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"]
    )
    func aeadIsAccepted(cipher: String) async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            let result = try await ExternalTool.handshake(with: endpoint, options: ["-tls1_2", "-cipher", cipher])
            #expect(result.exitCode == 0)
            #expect(result.standardOutput.contains("Cipher is \(cipher)"))
        }
    }

    @Test("TLS 1.3 is accepted")
    func tls13IsAccepted() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            let result = try await ExternalTool.handshake(with: endpoint, options: ["-tls1_3"])
            #expect(result.exitCode == 0)
            #expect(result.standardOutput.contains("TLSv1.3"))
        }
    }
}
