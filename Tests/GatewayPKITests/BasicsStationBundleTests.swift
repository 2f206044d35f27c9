import Crypto
import Foundation
import GatewayPKI
import LoRaWAN
import SwiftASN1
import Testing
import X509

/// The Basics Station credential bundle, unpacked with real GNU tar.
@Suite("Basics Station credential bundle")
struct BasicsStationBundleTests {
    static let modifiedAt = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21 14:13:20 UTC
    static let cupsURI = "https://cups.gatehouse.example:443"
    static let tcURI = "wss://lns.gatehouse.example:8887"

    @Test("tar -tvf lists every file with mode 0600 for keys and 0644 otherwise")
    func tarListing() async throws {
        let material = try BundleTestMaterial()
        let bundle = try material.bundle(withKey: true)
        let directory = try BundleScratchDirectory()
        try Data(bundle.tarArchive(modifiedAt: Self.modifiedAt)).write(to: URL(fileURLWithPath: directory.file("bundle.tar")))

        let listing = try await BundleTestTool.run("/usr/bin/tar", ["--utc", "-tvf", directory.file("bundle.tar")], in: directory)
        let lines = listing.split(separator: "\n").map(String.init)
        let names = lines.compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(names == ["cups.trust", "cups.crt", "cups.key", "tc.trust", "tc.crt", "tc.key", "cups.uri", "tc.uri"])
        for line in lines {
            let expectedMode = line.hasSuffix(".key") ? "-rw-------" : "-rw-r--r--"
            #expect(line.hasPrefix(expectedMode + " 0/0"), "\(line)")
            #expect(line.contains("2026-09-21 14:13"), "\(line)")
        }
    }

    @Test("tar -xf extracts byte-identical files with their modes")
    func tarExtraction() async throws {
        let material = try BundleTestMaterial()
        let bundle = try material.bundle(withKey: true)
        let directory = try BundleScratchDirectory()
        try Data(bundle.tarArchive(modifiedAt: Self.modifiedAt)).write(to: URL(fileURLWithPath: directory.file("bundle.tar")))
        try FileManager.default.createDirectory(atPath: directory.file("station"), withIntermediateDirectories: false)

        _ = try await BundleTestTool.run("/usr/bin/tar", ["-xf", directory.file("bundle.tar"), "-C", directory.file("station")], in: directory)
        for file in bundle.files() {
            let path = directory.file("station/" + file.name)
            #expect(FileManager.default.contents(atPath: path) == Data(file.contents), "\(file.name)")
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.uint16Value == file.mode, "\(file.name)")
            #expect((attributes[.modificationDate] as? Date) == Self.modifiedAt, "\(file.name)")
        }
        let contents = { (name: String) in
            String(decoding: FileManager.default.contents(atPath: directory.file("station/" + name)) ?? Data(), as: UTF8.self)
        }
        #expect(contents("cups.uri") == Self.cupsURI + "\n")
        #expect(contents("tc.uri") == Self.tcURI + "\n")
        #expect(contents("tc.trust") == material.serverTrustPEM)
        #expect(contents("cups.crt") == material.gatewayCertificatePEM)
        #expect(contents("cups.key") == material.gatewayKeyPEM)
    }

    @Test("a bundle of a freshly issued certificate: openssl verifies tc.crt's chain, and tc.key is its key")
    func issuedCredentials() async throws {
        let authorities = try CertificateAuthorities.makeRootAndIssuing(
            commonName: "Bundle Test", organization: "Gatehouse Tests", keyType: .p256, now: Date())
        let issuer = try GatewayCertificateIssuer(signer: authorities.issuingSigner, trustAnchor: authorities.rootSigner.certificate)
        let credentials = try issuer.issueWithServerKey(for: EUI64(0x0016_C001_FF10_A235), now: Date())
        let rootPEM = PEMDocument(type: "CERTIFICATE", derBytes: authorities.root.certificateDER).pemString
        let bundle = try BasicsStationBundle(
            cupsURI: Self.cupsURI, tcURI: Self.tcURI, serverTrustPEM: rootPEM, issued: credentials.certificate,
            privateKey: credentials.privateKey)

        let directory = try BundleScratchDirectory()
        try Data(bundle.tarArchive(modifiedAt: Self.modifiedAt)).write(to: URL(fileURLWithPath: directory.file("bundle.tar")))
        _ = try await BundleTestTool.run("/usr/bin/tar", ["-xf", directory.file("bundle.tar"), "-C", directory.path], in: directory)
        let crt = directory.file("tc.crt"), trust = directory.file("tc.trust")
        // The gateway certificate first, then the issuing CA: what the station presents in the handshake.
        let verified = try await BundleTestTool.run("/usr/bin/openssl", ["verify", "-CAfile", trust, "-untrusted", crt, crt], in: directory)
        #expect(verified.contains(": OK"))
        let certificateKey = try await BundleTestTool.run("/usr/bin/openssl", ["x509", "-in", crt, "-noout", "-pubkey"], in: directory)
        let privateKey = try await BundleTestTool.run(
            "/usr/bin/openssl", ["pkey", "-in", directory.file("tc.key"), "-pubout"], in: directory)
        #expect(certificateKey == privateKey)
        #expect(!PKIFixtures.leaks(credentials.privateKey.exportPEM(), into: PKIFixtures.renderings(of: bundle).joined()))
    }

    @Test("the archive is whole 512-byte blocks ending in two zero blocks")
    func archiveLayout() throws {
        let archive = try BundleTestMaterial().bundle(withKey: true).tarArchive(modifiedAt: Self.modifiedAt)
        #expect(archive.count % 512 == 0)
        #expect(archive.suffix(1024).allSatisfy { $0 == 0 })
        #expect(Array(archive[257..<263]) == Array("ustar\0".utf8))
    }

    @Test("a CSR-issued certificate makes a bundle without keys that says so")
    func withoutKey() async throws {
        let bundle = try BundleTestMaterial().bundle(withKey: false)
        #expect(!bundle.includesPrivateKey)
        #expect(bundle.files().map(\.name) == ["cups.trust", "cups.crt", "tc.trust", "tc.crt", "cups.uri", "tc.uri"])
        #expect(bundle.missingKeyNotice?.contains("cups.key") == true)
        #expect(try BundleTestMaterial().bundle(withKey: true).missingKeyNotice == nil)

        let directory = try BundleScratchDirectory()
        try Data(bundle.tarArchive(modifiedAt: Self.modifiedAt)).write(to: URL(fileURLWithPath: directory.file("bundle.tar")))
        let listing = try await BundleTestTool.run("/usr/bin/tar", ["-tf", directory.file("bundle.tar")], in: directory)
        #expect(!listing.contains(".key"))
    }

    @Test("URIs Basics Station accepts", arguments: [
        ("https://localhost:8443", BasicsStationURI.Service.cups), ("http://10.0.0.1:80", .cups),
        ("wss://lns.example.com:8887", .tc), ("ws://[::1]:1700", .tc), ("wss://[2001:db8::1]:443", .tc),
    ])
    func acceptedURIs(text: String, service: BasicsStationURI.Service) throws {
        let uri = try BasicsStationURI(text, for: service)
        #expect(uri.text == text)
        #expect(uri.port > 0)
    }

    @Test("URIs Basics Station would refuse are refused with a typed error", arguments: [
        ("wss://h.example:443", BasicsStationURI.Service.cups, BasicsStationBundleError.uriSchemeNotAllowed(.cups, scheme: "wss")),
        ("https://h.example:443", .tc, .uriSchemeNotAllowed(.tc, scheme: "https")),
        ("ftp://h.example:21", .cups, .uriSchemeNotAllowed(.cups, scheme: "ftp")),
        ("https://h.example", .cups, .uriMissingPort(.cups)),
        ("wss://[::1]", .tc, .uriMissingPort(.tc)),
        ("https://h.example:443/", .cups, .uriHasPath(.cups)),
        ("wss://h.example:8887/router-info", .tc, .uriHasPath(.tc)),
        ("https://" + String(repeating: "a", count: 110) + ".example:443", .cups, .uriTooLong(.cups, length: 130)),
    ])
    func refusedURIs(text: String, service: BasicsStationURI.Service, error: BasicsStationBundleError) {
        #expect(throws: error) { try BasicsStationURI(text, for: service) }
    }

    @Test("malformed URIs are refused", arguments: [
        "", "h.example:443", "https://:443", "https://h.example:0", "https://h.example:70000", "https://h.example:",
        "https://h.example:44a",
        "https://user@h.example:443", "https://h.example:443?x=1", "https://h.example:443#f", "https://h example:443",
        "https://[::1:443", "https://h_x:443", "https://h.example:443\n",
    ])
    func malformedURIs(text: String) {
        #expect(throws: BasicsStationBundleError.self) { try BasicsStationURI(text, for: .cups) }
    }

    @Test("bad PEM and a key that is not the certificate's are refused")
    func refusedCredentials() throws {
        let material = try BundleTestMaterial()
        #expect(throws: BasicsStationBundleError.invalidPrivateKey) {
            try BasicsStationBundle(cupsURI: Self.cupsURI, tcURI: Self.tcURI, serverTrustPEM: material.serverTrustPEM,
                certificatePEM: material.gatewayCertificatePEM, privateKeyPEM: "not a key")
        }
        #expect(throws: BasicsStationBundleError.privateKeyDoesNotMatchCertificate) {
            try BasicsStationBundle(cupsURI: Self.cupsURI, tcURI: Self.tcURI, serverTrustPEM: material.serverTrustPEM,
                certificatePEM: material.gatewayCertificatePEM, privateKeyPEM: P256.Signing.PrivateKey().pemRepresentation)
        }
        #expect(throws: BasicsStationBundleError.self) {
            try BasicsStationBundle(cupsURI: Self.cupsURI, tcURI: Self.tcURI, serverTrustPEM: material.gatewayKeyPEM,
                certificatePEM: material.gatewayCertificatePEM, privateKeyPEM: nil)
        }
        #expect(throws: BasicsStationBundleError.self) {
            try BasicsStationBundle(cupsURI: Self.cupsURI, tcURI: Self.tcURI, serverTrustPEM: material.serverTrustPEM,
                certificatePEM: "", privateKeyPEM: nil)
        }
    }

    @Test("the private key appears in no description, mirror or error")
    func keyNeverPrinted() throws {
        let material = try BundleTestMaterial()
        let bundle = try material.bundle(withKey: true)
        // Every base64 line of the key's PEM, long enough to be unique.
        let secrets = material.gatewayKeyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        #expect(!secrets.isEmpty)
        var dumped = ""
        dump(bundle, to: &dumped)
        dump(bundle.files(), to: &dumped)
        let keyFile = try #require(bundle.files().first { $0.name == "tc.key" })
        let printed = [
            String(describing: bundle), String(reflecting: bundle), "\(bundle.files())", String(reflecting: bundle.files()),
            String(describing: keyFile), dumped,
            String(describing: BasicsStationBundleError.invalidPrivateKey),
            String(describing: BasicsStationBundleError.privateKeyDoesNotMatchCertificate),
        ].joined(separator: "\n")
        for secret in secrets { #expect(!printed.contains(secret)) }
        #expect(!printed.contains(keyFile.contents.map(String.init).joined(separator: ", ")))
        #expect(String(describing: keyFile).hasPrefix("tc.key (600"))
        #expect(keyFile.isSecret)
    }
}

// MARK: - Material

/// A server CA and a gateway certificate with its key, made fresh for each test.
private struct BundleTestMaterial {
    let serverTrustPEM: String
    let gatewayCertificatePEM: String
    let gatewayKeyPEM: String

    init() throws {
        let now = Date()
        let serverKey = P256.Signing.PrivateKey()
        let serverName = try DistinguishedName { CommonName("Gatehouse Server CA") }
        let serverCA = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(serverKey.publicKey),
            notValidBefore: now, notValidAfter: now.addingTimeInterval(86_400), issuer: serverName, subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            },
            issuerPrivateKey: .init(serverKey))

        let gatewayKey = P256.Signing.PrivateKey()
        let gatewayName = try DistinguishedName { CommonName("0016C001FF10A235") }
        let gateway = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(gatewayKey.publicKey),
            notValidBefore: now, notValidAfter: now.addingTimeInterval(86_400), issuer: serverName, subject: gatewayName,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(), issuerPrivateKey: .init(serverKey))

        serverTrustPEM = try serverCA.serializeAsPEM().pemString + "\n"
        gatewayCertificatePEM = try gateway.serializeAsPEM().pemString + "\n"
        gatewayKeyPEM = gatewayKey.pemRepresentation + "\n"
    }

    func bundle(withKey: Bool) throws -> BasicsStationBundle {
        try BasicsStationBundle(
            cupsURI: BasicsStationBundleTests.cupsURI, tcURI: BasicsStationBundleTests.tcURI, serverTrustPEM: serverTrustPEM,
            certificatePEM: gatewayCertificatePEM, privateKeyPEM: withKey ? gatewayKeyPEM : nil)
    }
}

// MARK: - Helpers

/// A folder for one test's files, removed afterwards.
private final class BundleScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bundle-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The real GNU tar and openssl.
private enum BundleTestTool {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable` and returns standard output and standard error together; throws if it fails.
    static func run(_ executable: String, _ arguments: [String], in directory: BundleScratchDirectory) async throws -> String {
        let outputPath = directory.file("tar-\(UUID().uuidString).out")
        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw Failure(description: "cannot create \(outputPath)")
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = output
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try output.close()
        let text = try String(contentsOfFile: outputPath, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: outputPath)
        guard status == 0 else { throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(status): \(text)") }
        return text
    }
}
