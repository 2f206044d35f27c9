import Foundation
import GatehouseServer
import Testing

@Suite("Server TLS identity")
struct TLSIdentityTests {
    @Test("the first start creates a development certificate, with the key file 0600 in a 0700 folder")
    func firstStartCreatesCertificate() async throws {
        let directory = try TemporaryDirectory()
        let log = CapturedLog()
        let server = try GatehouseServer(
            configuration: testConfiguration(dataDirectory: directory.file("data")),
            logDestination: log.destination
        )
        let tls = directory.file("data/tls")
        #expect(server.tlsIdentity.certificatePath == tls + "/server.crt")
        #expect(try permissions(of: tls) == 0o700)
        #expect(try permissions(of: tls + "/server.key") == 0o600)
        #expect(log.count(containing: "notice gatehouse: Created a development TLS certificate") == 1)
        #expect(log.count(containing: "certificate=\(tls)/server.crt") == 1)
    }

    @Test("the development certificate is for serverAuth, names localhost and 127.0.0.1 (as DNS and IP), and lasts 825 days")
    func certificateContents() async throws {
        let directory = try TemporaryDirectory()
        let server = try GatehouseServer(quietly: testConfiguration(dataDirectory: directory.file("data")))
        let text = try await ExternalTool.run(
            "/usr/bin/openssl",
            ["x509", "-in", server.tlsIdentity.certificatePath, "-noout", "-text"],
            in: directory.path
        ).standardOutput
        #expect(text.contains("Subject: CN = Gatehouse development server"))
        #expect(text.contains("DNS:localhost, DNS:127.0.0.1"))
        #expect(text.contains("IP Address:127.0.0.1"))
        #expect(text.contains("TLS Web Server Authentication"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("ecdsa-with-SHA256"))
        let fields = try await ExternalTool.run(
            "/usr/bin/openssl",
            ["x509", "-in", server.tlsIdentity.certificatePath, "-noout", "-dates", "-serial"],
            in: directory.path
        ).standardOutput
        let values = Dictionary(
            fields.split(separator: "\n").map { line in
                let parts = line.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), String(parts.count > 1 ? parts[1] : ""))
            },
            uniquingKeysWith: { first, _ in first }
        )
        let dates = DateFormatter()
        dates.locale = Locale(identifier: "en_US_POSIX")
        dates.timeZone = TimeZone(identifier: "GMT")
        dates.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
        let notBefore = try #require(values["notBefore"].flatMap { dates.date(from: $0.replacingOccurrences(of: "  ", with: " ")) })
        let notAfter = try #require(values["notAfter"].flatMap { dates.date(from: $0.replacingOccurrences(of: "  ", with: " ")) })
        // 825 days, plus the five minutes validity starts early to allow for client clock skew.
        #expect(notAfter.timeIntervalSince(notBefore) == 825 * 24 * 3600 + 5 * 60)
        // 20 octets = 40 hex digits: the most RFC 5280 allows, all of them random.
        #expect(values["serial"]?.count == 40)
    }

    @Test("the private key never appears in the log, even at trace level")
    func privateKeyIsNotLogged() async throws {
        let directory = try TemporaryDirectory()
        let log = CapturedLog()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"), logLevel: "trace")
        try await withRunningServer(configuration, log: log) { endpoint in
            _ = try await ExternalTool.curl("/healthz", on: endpoint)
            _ = try await ExternalTool.curl("/nowhere", on: endpoint)
        }
        let keyPEM = try String(contentsOfFile: directory.file("data/tls/server.key"), encoding: .utf8)
        let bodyLines = keyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }
        #expect(!bodyLines.isEmpty)
        let logText = log.text
        #expect(!logText.isEmpty)
        for line in bodyLines {
            #expect(!logText.contains(line))
        }
    }

    @Test("the identity's description and mirror redact the private key")
    func identityDescriptionIsRedacted() throws {
        let directory = try TemporaryDirectory()
        let identity = try GatehouseServer(quietly: testConfiguration(dataDirectory: directory.file("data"))).tlsIdentity
        let keyPEM = try String(contentsOfFile: directory.file("data/tls/server.key"), encoding: .utf8)
        let keyBody = keyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        var dumped = ""
        dump(identity, to: &dumped)
        for rendering in [String(describing: identity), String(reflecting: identity), dumped] {
            #expect(rendering.contains("<redacted>"))
            #expect(!rendering.contains(keyBody.prefix(24)))
        }
    }

    @Test("a restart with the same data directory reuses the certificate")
    func restartReusesCertificate() async throws {
        let directory = try TemporaryDirectory()
        let log = CapturedLog()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let certificatePath = directory.file("data/tls/server.crt")
        try await withRunningServer(configuration, log: log) { endpoint in
            let reply = try await ExternalTool.curl("/healthz", on: endpoint)
            #expect(reply.status == 200)
        }
        let first = try Data(contentsOf: URL(fileURLWithPath: certificatePath))
        try await withRunningServer(configuration, log: log) { endpoint in
            // The certificate a client saved after the first start still verifies.
            let reply = try await ExternalTool.curl("/healthz", on: endpoint)
            #expect(reply.status == 200)
        }
        let second = try Data(contentsOf: URL(fileURLWithPath: certificatePath))
        #expect(first == second)
        #expect(log.count(containing: "Created a development TLS certificate") == 1)
    }

    @Test("a file that is not PEM is refused with a typed error naming it")
    func badPEMIsRefused() throws {
        let directory = try TemporaryDirectory()
        let certificate = directory.file("garbage.crt")
        let key = directory.file("garbage.key")
        try Data("this is not a certificate\n".utf8).write(to: URL(fileURLWithPath: certificate))
        try Data("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n".utf8).write(to: URL(fileURLWithPath: key))
        let configuration = try testConfiguration(dataDirectory: directory.file("data"), tlsCertificate: certificate, tlsPrivateKey: key)
        let error = #expect(throws: TLSIdentityError.self) {
            try GatehouseServer(quietly: configuration)
        }
        #expect(error == .notPEMCertificate(path: certificate))
        #expect(error?.description.contains("is not a PEM-encoded X.509 certificate") == true)
    }

    @Test("a private key that is not PEM is refused without quoting the file")
    func badPrivateKeyIsRefused() throws {
        let directory = try TemporaryDirectory()
        _ = try GatehouseServer(quietly: testConfiguration(dataDirectory: directory.file("data")))
        let key = directory.file("broken.key")
        let secretLooking = "-----BEGIN PRIVATE KEY-----\nU0VDUkVUU0VDUkVUU0VDUkVU\n-----END PRIVATE KEY-----\n"
        try Data(secretLooking.utf8).write(to: URL(fileURLWithPath: key))
        let configuration = try testConfiguration(
            dataDirectory: directory.file("other"),
            tlsCertificate: directory.file("data/tls/server.crt"),
            tlsPrivateKey: key
        )
        let error = #expect(throws: TLSIdentityError.self) {
            try GatehouseServer(quietly: configuration)
        }
        #expect(error == .notPEMPrivateKey(path: key))
        #expect(error?.description.contains("U0VDUkVU") == false)
    }

    @Test("a private key that does not belong to the certificate is refused")
    func mismatchedKeyIsRefused() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        _ = try GatehouseServer(quietly: testConfiguration(dataDirectory: first.path))
        _ = try GatehouseServer(quietly: testConfiguration(dataDirectory: second.path))
        let certificate = first.file("tls/server.crt")
        let key = second.file("tls/server.key")
        let configuration = try testConfiguration(dataDirectory: first.path, tlsCertificate: certificate, tlsPrivateKey: key)
        #expect(throws: TLSIdentityError.privateKeyDoesNotMatchCertificate(certificatePath: certificate, privateKeyPath: key)) {
            try GatehouseServer(quietly: configuration)
        }
    }

    @Test("a development certificate without its key is reported, not silently replaced")
    func orphanCertificateIsReported() throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.path)
        _ = try GatehouseServer(quietly: configuration)
        try FileManager.default.removeItem(atPath: directory.file("tls/server.key"))
        #expect(
            throws: TLSIdentityError.incompleteDevelopmentIdentity(
                existing: directory.file("tls/server.crt"),
                missing: directory.file("tls/server.key")
            )
        ) {
            try GatehouseServer(quietly: configuration)
        }
    }

    @Test("an operator's own RSA certificate is served with ECDHE-RSA and AES-GCM")
    func operatorRSACertificate() async throws {
        let directory = try TemporaryDirectory()
        let certificate = directory.file("operator.crt")
        let key = directory.file("operator.key")
        let made = try await ExternalTool.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            ],
            in: directory.path
        )
        try #require(made.exitCode == 0, "openssl req failed: \(made.standardError)")
        let configuration = try testConfiguration(dataDirectory: directory.file("data"), tlsCertificate: certificate, tlsPrivateKey: key)
        try await withRunningServer(configuration) { endpoint in
            #expect(endpoint.certificatePath == certificate)
            let reply = try await ExternalTool.curl("/healthz", on: endpoint)
            #expect(reply.body == #"{"status":"ok"}"#)
            let handshake = try await ExternalTool.handshake(with: endpoint, options: ["-tls1_2"])
            #expect(handshake.standardOutput.contains("Cipher is ECDHE-RSA-AES256-GCM-SHA384"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("data/tls/server.crt")))
    }
}

private func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
