import BackendInterfaces
import Crypto
import Foundation
import GatehouseServer
import Logging
import Storage
import SwiftASN1
import X509

/// A running server with a CA, two registered gateways (A and B) and a certificate for A issued
/// through the API, as files a station operator would have: `gateway.crt`, `gateway.key`, `root-ca.crt`.
struct GatewayFixture {
    static let gatewayA = "0016C001FF10A235"
    static let gatewayAID6 = "16:c001:ff10:a235"
    static let gatewayB = "0016C001FF10A236"
    static let gatewayBID6 = "16:c001:ff10:a236"

    let client: APIClient
    let endpoint: TestEndpoint
    /// Scratch folder holding the files.
    let folder: String
    let rootCertificate: Certificate
    let rootKey: Certificate.PrivateKey
    /// Serial (hex) of gateway A's certificate.
    let serialA: String
    /// The server's configuration (its data directory), for a second process-like opening of the store.
    let configuration: GatehouseConfiguration

    func path(_ name: String) -> String { folder + "/" + name }

    /// Starts the server, registers the gateways and issues A's certificate.
    static func run(
        log: CapturedLog = CapturedLog(), traffic: (any GatewayTrafficHandler)? = nil, _ body: (GatewayFixture) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let services = try await GatehouseServices.open(configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let key = try await services.store.apiKeys.create(name: "tests", at: Date(), actor: "test").plaintextKey
        await services.close()
        try await withRunningServer(configuration, log: log, gatewayTraffic: traffic) { endpoint in
            let client = APIClient(endpoint: endpoint, apiKey: key)
            for (eui, name) in [(gatewayA, "A"), (gatewayB, "B")] {
                let reply = try await client.call("POST", "/gateways", json: #"{"eui":"\#(eui)","name":"\#(name)","frequencyPlan":"EU868"}"#)
                guard reply.status == 201 else { throw ScaffoldingFailure(description: "register \(eui): \(reply.body)") }
            }
            let issued = try APIClient.object(try await client.call("POST", "/gateways/\(gatewayA)/certificates", json: "{}"))
            let folder = directory.file("station")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let certificate = (issued["certificate"] as? [String: Any]) ?? [:]
            try (certificate["certificatePEM"] as? String ?? "").write(toFile: folder + "/gateway.crt", atomically: true, encoding: .utf8)
            try (issued["privateKeyPEM"] as? String ?? "").write(toFile: folder + "/gateway.key", atomically: true, encoding: .utf8)
            let rootPEM = issued["trustAnchorPEM"] as? String ?? ""
            try rootPEM.write(toFile: folder + "/root-ca.crt", atomically: true, encoding: .utf8)
            let exported = try APIClient.object(try await client.call("POST", "/ca/root-key/export", json: #"{"remove":false}"#))
            let rootKey = try Certificate.PrivateKey(pemEncoded: exported["privateKeyPEM"] as? String ?? "")
            try await body(GatewayFixture(
                client: client, endpoint: endpoint, folder: folder, rootCertificate: try Certificate(pemEncoded: rootPEM), rootKey: rootKey,
                serialA: certificate["serial"] as? String ?? "", configuration: configuration))
        }
    }

    /// Writes a client certificate and key made by hand (for the refusal cases) as `<name>.crt`/`.key`.
    func writeClientCertificate(
        _ name: String, commonName: String, notBefore: Date = Date().addingTimeInterval(-3600), notAfter: Date = Date().addingTimeInterval(86_400),
        extendedKeyUsage: [ExtendedKeyUsage.Usage] = [.clientAuth], issuer: (Certificate, Certificate.PrivateKey)? = nil
    ) throws {
        let key = P256.Signing.PrivateKey()
        let (issuerCertificate, issuerKey) = issuer ?? (rootCertificate, rootKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey), notValidBefore: notBefore,
            notValidAfter: notAfter, issuer: issuerCertificate.subject, subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage(extendedKeyUsage)
            },
            issuerPrivateKey: issuerKey)
        try certificate.serializeAsPEM().pemString.write(toFile: path(name + ".crt"), atomically: true, encoding: .utf8)
        try key.pemRepresentation.write(toFile: path(name + ".key"), atomically: true, encoding: .utf8)
    }

    /// A CA nobody trusted.
    static func strangerAuthority() throws -> (Certificate, Certificate.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName { CommonName("Stranger CA") }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey), notValidBefore: Date().addingTimeInterval(-3600),
            notValidAfter: Date().addingTimeInterval(86_400 * 30), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
        return (certificate, .init(key))
    }

    /// `curl` as The Things Stack's vendor test runs it, from the fixture folder.
    /// - Parameter permitWeakKeys: lowers curl's OpenSSL security level, which otherwise refuses to
    ///   even load an RSA-1024 client key, so that the server's refusal can be seen.
    func curlUpdateInfo(certificate: String?, key: String?, body: String, output: String? = nil, permitWeakKeys: Bool = false) async throws -> ToolResult {
        var arguments = [
            "--silent", "--show-error", "--max-time", "10", "--cacert", path("root-ca.crt"),
            "--resolve", "localhost:\(endpoint.gatewayPort):127.0.0.1", "--write-out", "%{http_code}", "--output", output ?? "/dev/null",
        ]
        if let certificate { arguments += ["--cert", path(certificate)] }
        if let key { arguments += ["--key", path(key)] }
        arguments += ["https://localhost:\(endpoint.gatewayPort)/update-info", "-d", body]
        guard permitWeakKeys else { return try await ExternalTool.run("/usr/bin/curl", arguments, in: folder) }
        let configuration = """
            openssl_conf = openssl_init
            [openssl_init]
            ssl_conf = ssl_section
            [ssl_section]
            system_default = system_default_section
            [system_default_section]
            CipherString = DEFAULT@SECLEVEL=0
            """
        try configuration.write(toFile: path("weak-openssl.cnf"), atomically: true, encoding: .utf8)
        return try await ExternalTool.run("/usr/bin/env", ["OPENSSL_CONF=\(path("weak-openssl.cnf"))", "/usr/bin/curl"] + arguments, in: folder)
    }
}

extension GatewayFixture {
    /// An RSA-1024 client certificate signed by the root, made with openssl (swift-crypto refuses to
    /// make keys that small, which is the point).
    func writeRSA1024Certificate(_ name: String, commonName: String) async throws {
        try rootCertificate.serializeAsPEM().pemString.write(toFile: path("root-for-openssl.crt"), atomically: true, encoding: .utf8)
        try rootKey.serializeAsPEM().pemString.write(toFile: path("root-for-openssl.key"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n".write(toFile: path("client.ext"), atomically: true, encoding: .utf8)
        for arguments in [
            ["req", "-new", "-newkey", "rsa:1024", "-nodes", "-subj", "/CN=\(commonName)", "-keyout", path("\(name).key"), "-out", path("\(name).csr")],
            ["x509", "-req", "-in", path("\(name).csr"), "-CA", path("root-for-openssl.crt"), "-CAkey", path("root-for-openssl.key"),
             "-CAcreateserial", "-CAserial", path("root.srl"), "-days", "30", "-extfile", path("client.ext"), "-out", path("\(name).crt")],
        ] {
            let result = try await ExternalTool.run("/usr/bin/openssl", arguments, in: folder)
            guard result.exitCode == 0 else { throw ToolFailure(tool: "openssl", result: result) }
        }
    }
}
