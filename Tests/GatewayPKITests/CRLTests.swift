import Crypto
import Foundation
import GatewayPKI
import LoRaWAN
import SwiftASN1
import Testing
import X509
import _CryptoExtras

/// RFC 5280 §5 CRLs, written by `CRLEncoder`, read back by `CertificateList` and checked with the
/// real `openssl crl`.
@Suite("CRL (RFC 5280 §5)")
struct CRLTests {
    static let thisUpdate = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21
    static let nextUpdate = thisUpdate.addingTimeInterval(7 * 86_400)

    static let revoked = [
        RevokedCertificate(serialNumber: Certificate.SerialNumber(bytes: [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
            0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF]), revocationDate: thisUpdate.addingTimeInterval(-3600), reason: .keyCompromise),
        RevokedCertificate(serialNumber: Certificate.SerialNumber(bytes: [0x7E, 0x57]), revocationDate: thisUpdate.addingTimeInterval(-60),
            reason: .superseded),
        RevokedCertificate(serialNumber: Certificate.SerialNumber(bytes: [0x42]), revocationDate: thisUpdate.addingTimeInterval(-30),
            reason: .cessationOfOperation),
    ]

    /// A CRL from `thisUpdate` to `nextUpdate`.
    static func crl(_ revoked: [RevokedCertificate], number: Int64, signer: some CRLSigning) throws -> [UInt8] {
        try CRLEncoder.makeCRL(revoked: revoked, number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate, signer: signer)
    }

    @Test("openssl reads version 2, the issuer, CRL number, AKI, every serial and reason")
    func opensslText() async throws {
        let ca = try CRLTestIssuer(.p256)
        let der = try Self.crl(Self.revoked, number: 7, signer: ca)

        let text = try await CRLWorkbench().text(of: der)
        #expect(text.contains("Version 2 (0x1)"))
        #expect(text.contains("Signature Algorithm: ecdsa-with-SHA256"))
        #expect(text.contains("Issuer: CN = Gatehouse Test CA P-256, O = Gatehouse"))
        #expect(text.contains("Last Update: Sep 21 14:13:20 2026 GMT"))
        #expect(text.contains("Next Update: Sep 28 14:13:20 2026 GMT"))
        #expect(text.contains("X509v3 CRL Number: \n                7\n"))
        let ski = try #require(try ca.certificate.extensions.subjectKeyIdentifier).keyIdentifier
        let keyIdentifier = ski.map { Hex.encode([$0], uppercase: true) }.joined(separator: ":")
        #expect(text.contains("X509v3 Authority Key Identifier: \n                " + keyIdentifier))
        for (serial, date, reason) in [
            ("0123456789ABCDEF0123456789ABCDEF", "Sep 21 13:13:20 2026 GMT", "Key Compromise"),
            ("7E57", "Sep 21 14:12:20 2026 GMT", "Superseded"),
            ("42", "Sep 21 14:12:50 2026 GMT", "Cessation Of Operation"),
        ] {
            #expect(text.contains("""
                    Serial Number: \(serial)
                        Revocation Date: \(date)
                        CRL entry extensions:
                            X509v3 CRL Reason Code: \("")
                                \(reason)
                """))
        }
    }

    @Test("openssl crl -verify accepts the CRL with its issuer", arguments: [CRLTestIssuer.KeyKind.p256, .rsa2048])
    func opensslVerifies(kind: CRLTestIssuer.KeyKind) async throws {
        let ca = try CRLTestIssuer(kind)
        let der = try Self.crl(Self.revoked, number: 1, signer: ca)

        #expect(try await CRLWorkbench().verify(der, issuer: ca).contains("verify OK"))
        let list = try CertificateList(derEncoded: der)
        #expect(list.signatureAlgorithm == (kind == .p256 ? .ecdsaWithSHA256 : .sha256WithRSAEncryption))
        #expect(list.isSigned(by: ca.certificate))
    }

    @Test(
        "openssl verify -crl_check rejects a listed certificate and accepts an unlisted one",
        arguments: [CRLTestIssuer.KeyKind.p256, .rsa2048])
    func opensslCRLCheck(kind: CRLTestIssuer.KeyKind) async throws {
        let ca = try CRLTestIssuer(kind)
        let now = Date()
        let der = try CRLEncoder.makeCRL(
            revoked: Self.revoked, number: 2, thisUpdate: now.addingTimeInterval(-60), nextUpdate: now.addingTimeInterval(3600), signer: ca)
        let bench = try CRLWorkbench()
        let check = ["verify", "-crl_check", "-CAfile", try bench.write(ca.certificatePEM, to: "issuer.pem"),
            "-CRLfile", try bench.write(CRLEncoder.pem(fromDER: der), to: "crl.pem")]

        let revokedLeaf = try bench.write(ca.issueLeaf(serial: Self.revoked[1].serialNumber), to: "revoked.pem")
        let revoked = try await bench.openssl(check + [revokedLeaf])
        #expect(revoked.status != 0)
        #expect(revoked.output.contains("certificate revoked"))
        let validLeaf = try bench.write(ca.issueLeaf(serial: Certificate.SerialNumber(bytes: [0x7E, 0x58])), to: "valid.pem")
        let valid = try await bench.openssl(check + [validLeaf])
        #expect(valid.status == 0, "\(valid.output)")
        #expect(valid.output.contains(": OK"))
    }

    @Test("an empty CRL leaves out revokedCertificates and still verifies")
    func emptyCRL() async throws {
        let ca = try CRLTestIssuer(.p256)
        let der = try Self.crl([], number: 0, signer: ca)

        let bench = try CRLWorkbench()
        #expect(try await bench.verify(der, issuer: ca).contains("verify OK"))
        #expect(try await bench.text(of: der).contains("No Revoked Certificates."))
        let list = try CertificateList(derEncoded: der)
        #expect(list.revokedCertificates.isEmpty)
        #expect(list.crlNumber == 0)
    }

    @Test("a 20-byte serial with the high bit set gets a leading 00 in DER and round-trips")
    func largeSerial() async throws {
        let ca = try CRLTestIssuer(.p256)
        let serialHex = "ff" + String(repeating: "a5", count: 19)
        let entry = try RevokedCertificate(serialHex: serialHex, revocationDate: Self.thisUpdate, reason: .keyCompromise)
        let der = try Self.crl([entry], number: 3, signer: ca)

        // INTEGER, 21 content octets: 00 then the 20 serial bytes.
        #expect(der.crlContainsSubsequence([0x02, 0x15, 0x00] + (Hex.decode(serialHex) ?? [])))
        let list = try CertificateList(derEncoded: der)
        #expect(list.revokedCertificates.map(\.serialHex) == [serialHex])
        #expect(list.revokedCertificate(serialNumber: entry.serialNumber)?.reason == .keyCompromise)
        #expect(try await CRLWorkbench().text(of: der).contains("Serial Number: " + serialHex.uppercased() + "\n"))
    }

    @Test("hex serials with leading zeros or odd length name the same certificate")
    func serialForms() throws {
        let a = try RevokedCertificate(serialHex: "00ab01", revocationDate: Self.thisUpdate, reason: .superseded)
        let b = try RevokedCertificate(serialHex: "AB01", revocationDate: Self.thisUpdate, reason: .superseded)
        let c = try RevokedCertificate(serialHex: "b01", revocationDate: Self.thisUpdate, reason: .superseded)
        #expect(a.serialNumber == b.serialNumber)
        #expect(a.serialHex == "ab01")
        #expect(c.serialHex == "0b01")
    }

    @Test("CRL numbers increase from one CRL to the next, and openssl sees them")
    func crlNumberIncreases() async throws {
        let ca = try CRLTestIssuer(.p256)
        let bench = try CRLWorkbench()
        var numbers: [Int64] = []
        for (index, number) in [Int64(41), 42, Int64(Int32.max) + 1].enumerated() {
            let der = try CRLEncoder.makeCRL(
                revoked: Array(Self.revoked.prefix(index + 1)), number: number,
                thisUpdate: Self.thisUpdate.addingTimeInterval(Double(index)), nextUpdate: Self.nextUpdate, signer: ca)
            numbers.append(try #require(try CertificateList(derEncoded: der).crlNumber))
            let path = try bench.write(der, to: "crl\(index).der")
            let output = try await bench.openssl(["crl", "-inform", "DER", "-in", path, "-noout", "-crlnumber"])
            #expect(output.output.contains("crlNumber=0x" + String(number, radix: 16, uppercase: true)))
        }
        #expect(numbers == [41, 42, Int64(Int32.max) + 1])
    }

    @Test("dates through 2049 are UTCTime, from 2050 GeneralizedTime (RFC 5280 §5.1.2.4)")
    func timeEncoding() async throws {
        let ca = try CRLTestIssuer(.p256)
        let lastSecondOf2049 = Date(timeIntervalSince1970: 2_524_607_999)
        let firstSecondOf2050 = Date(timeIntervalSince1970: 2_524_608_000)
        let der = try CRLEncoder.makeCRL(revoked: [], number: 1, thisUpdate: lastSecondOf2049, nextUpdate: firstSecondOf2050, signer: ca)

        #expect(der.crlContainsSubsequence([0x17, 0x0D] + Array("491231235959Z".utf8)))
        #expect(der.crlContainsSubsequence([0x18, 0x0F] + Array("20500101000000Z".utf8)))
        let list = try CertificateList(derEncoded: der)
        #expect(list.thisUpdate == lastSecondOf2049)
        #expect(list.nextUpdate == firstSecondOf2050)
        let text = try await CRLWorkbench().text(of: der)
        #expect(text.contains("Last Update: Dec 31 23:59:59 2049 GMT"))
        #expect(text.contains("Next Update: Jan  1 00:00:00 2050 GMT"))
    }

    @Test("the decoder reads back issuer, times, entries, reasons, number and AKI")
    func roundTrip() throws {
        let ca = try CRLTestIssuer(.rsa2048)
        let der = try CRLEncoder.makeCRL(
            revoked: Self.revoked, number: 9, thisUpdate: Self.thisUpdate.addingTimeInterval(0.75), nextUpdate: Self.nextUpdate, signer: ca)

        let list = try CertificateList(pemEncoded: CRLEncoder.pem(fromDER: der))
        #expect(list.version == 1)
        #expect(list.issuer == ca.certificate.subject)
        var subject = DER.Serializer()
        try subject.serialize(ca.certificate.subject)
        #expect(list.issuerNameDER == subject.serializedBytes)
        #expect(list.thisUpdate == Self.thisUpdate)  // fractions of a second are truncated
        #expect(list.nextUpdate == Self.nextUpdate)
        #expect(list.revokedCertificates == Self.revoked)
        #expect(list.crlNumber == 9)
        #expect(list.authorityKeyIdentifier == (try ca.certificate.extensions.subjectKeyIdentifier).map { Array($0.keyIdentifier) })
        #expect(list.isSigned(by: ca.certificate))
        #expect(!list.isSigned(by: try CRLTestIssuer(.rsa2048).certificate))
    }

    @Test("an unspecified reason is written as no reasonCode (RFC 5280 §5.3.1)")
    func unspecifiedReason() async throws {
        let ca = try CRLTestIssuer(.p256)
        let entry = RevokedCertificate(
            serialNumber: Certificate.SerialNumber(bytes: [0x10, 0x20]), revocationDate: Self.thisUpdate, reason: .unspecified)
        let der = try Self.crl([entry], number: 1, signer: ca)

        #expect(!der.crlContainsSubsequence([0x06, 0x03, 0x55, 0x1D, 0x15]))  // id-ce-cRLReasons
        #expect(try CertificateList(derEncoded: der).revokedCertificates.first?.reason == .unspecified)
        let text = try await CRLWorkbench().text(of: der)
        #expect(text.contains("Serial Number: 1020"))
        #expect(!text.contains("CRL entry extensions"))
    }

    @Test("revoked certificate records become entries; a record that is not revoked is refused")
    func records() throws {
        let ca = try CRLTestIssuer(.p256)
        func record(_ serial: String, _ revocation: CertificateRevocation?) -> CertificateRecord {
            CertificateRecord(
                serial: serial, gatewayEUI: EUI64(0x0016_C001_FF10_A235), issuerID: "ca", notBefore: Self.thisUpdate,
                notAfter: Self.nextUpdate, fingerprintSHA256: "", der: [], keyAlgorithm: "P-256", keySource: .serverGenerated,
                issuedAt: Self.thisUpdate, revocation: revocation)
        }
        let revoked = record("00c0ffee", CertificateRevocation(time: Self.thisUpdate, reason: .privilegeWithdrawn))
        let der = try CRLEncoder.makeCRL(
            revoking: [revoked], number: 1, thisUpdate: Self.thisUpdate, nextUpdate: Self.nextUpdate, signer: ca)
        let entry = try #require(try CertificateList(derEncoded: der).revokedCertificates.first)
        #expect(entry.serialHex == "c0ffee")
        #expect(entry.reason == .privilegeWithdrawn)

        #expect(throws: CRLError.certificateNotRevoked(serial: "abcd")) {
            try CRLEncoder.makeCRL(
                revoking: [record("abcd", nil)], number: 2, thisUpdate: Self.thisUpdate, nextUpdate: Self.nextUpdate, signer: ca)
        }
    }

    @Test("bad inputs are refused with a typed error")
    func refusals() throws {
        let ca = try CRLTestIssuer(.p256)
        let entry = Self.revoked[0]
        func make(_ revoked: [RevokedCertificate] = [], number: Int64 = 1, next: Date = Self.nextUpdate, signer: some CRLSigning) throws {
            _ = try CRLEncoder.makeCRL(revoked: revoked, number: number, thisUpdate: Self.thisUpdate, nextUpdate: next, signer: signer)
        }
        #expect(throws: CRLError.negativeCRLNumber(-1)) { try make(number: -1, signer: ca) }
        #expect(throws: CRLError.nextUpdateNotAfterThisUpdate) { try make(next: Self.thisUpdate, signer: ca) }
        #expect(throws: CRLError.duplicateSerialNumber(entry.serialHex)) { try make([entry, entry], signer: ca) }
        #expect(throws: CRLError.removeFromCRLInCompleteCRL(serial: "42")) {
            let removal = RevokedCertificate(
                serialNumber: Certificate.SerialNumber(bytes: [0x42]), revocationDate: Self.thisUpdate, reason: .removeFromCRL)
            try make([removal], signer: ca)
        }
        #expect(throws: CRLError.dateOutOfRange) { try make(next: Date(timeIntervalSince1970: .infinity), signer: ca) }
        #expect(throws: CRLError.invalidSerialNumber("xyz")) {
            try RevokedCertificate(serialHex: "xyz", revocationDate: Self.thisUpdate, reason: .superseded)
        }
        #expect(throws: CRLError.invalidSerialNumber("")) {
            try RevokedCertificate(serialHex: "", revocationDate: Self.thisUpdate, reason: .superseded)
        }
        #expect(throws: CRLError.issuerHasNoSubjectKeyIdentifier) {
            try make(signer: try CRLTestIssuer(.p256, subjectKeyIdentifier: false))
        }
        #expect(throws: CRLError.issuerMayNotSignCRLs) { try make(signer: try CRLTestIssuer(.p256, cRLSign: false)) }
        #expect(throws: CRLError.signatureDoesNotVerify) {
            try make(signer: CRLTestIssuer(certificate: ca.certificate, key: try CRLTestIssuer(.p256).key))
        }
    }

    @Test("a signer that prefers another algorithm gets that algorithm announced")
    func signerChoosesAlgorithm() async throws {
        let ca = try CRLTestIssuer(.p256)
        let sha384 = CRLTestIssuer(certificate: ca.certificate, key: ca.key, prefersSHA384: true)
        let der = try Self.crl(Self.revoked, number: 5, signer: sha384)

        let list = try CertificateList(derEncoded: der)
        #expect(list.signatureAlgorithm == .ecdsaWithSHA384)
        #expect(list.isSigned(by: ca.certificate))
        #expect(try await CRLWorkbench().verify(der, issuer: ca).contains("verify OK"))
    }

    @Test("malformed CRLs are refused, not crashed on", arguments: [
        [], [0x30, 0x00], [0x30, 0x03, 0x02, 0x01, 0x01], [0x04, 0x00], [0x30, 0x80],
    ] as [[UInt8]])
    func malformed(bytes: [UInt8]) {
        #expect(throws: CRLError.self) { try CertificateList(derEncoded: bytes) }
    }

    @Test("a truncated CRL is refused; a tampered one fails its signature check")
    func tampered() throws {
        let ca = try CRLTestIssuer(.p256)
        let der = try Self.crl(Self.revoked, number: 1, signer: ca)
        for cut in stride(from: 0, to: der.count, by: 7) {
            #expect(throws: CRLError.self) { try CertificateList(derEncoded: Array(der.prefix(cut))) }
        }
        // Change the serial 42 to 43: still well-formed, no longer what the CA signed.
        let serial: [UInt8] = [0x02, 0x01, 0x42]
        let position = try #require((0...(der.count - serial.count)).first { der[$0..<($0 + serial.count)].elementsEqual(serial) })
        var tampered = der
        tampered[position + 2] = 0x43
        #expect(!(try CertificateList(derEncoded: tampered)).isSigned(by: ca.certificate))
        let certificateLabel = CRLEncoder.pem(fromDER: der).replacingOccurrences(of: "X509 CRL", with: "CERTIFICATE")
        #expect(throws: CRLError.self) { try CertificateList(pemEncoded: certificateLabel) }
    }
}

// MARK: - Test CA

/// A self-signed CA that signs CRLs with a swift-crypto key made for the test: P-256 (DER ECDSA
/// signature) or RSA-2048 (PKCS #1 v1.5 with SHA-256).
struct CRLTestIssuer: CRLSigning, Sendable {
    enum KeyKind: Sendable, CustomTestStringConvertible {
        case p256, rsa2048
        var testDescription: String { self == .p256 ? "P-256" : "RSA-2048" }
    }

    enum SigningKey: Sendable {
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)

        var certificateKey: Certificate.PrivateKey {
            switch self {
            case .p256(let key): Certificate.PrivateKey(key)
            case .rsa(let key): Certificate.PrivateKey(key)
            }
        }
    }

    let certificate: Certificate
    let key: SigningKey
    /// Set to sign P-256 with ECDSA-SHA-384 instead of the usual SHA-256.
    var prefersSHA384 = false

    init(certificate: Certificate, key: SigningKey, prefersSHA384: Bool = false) {
        self.certificate = certificate
        self.key = key
        self.prefersSHA384 = prefersSHA384
    }

    init(_ kind: KeyKind, subjectKeyIdentifier: Bool = true, cRLSign: Bool = true) throws {
        let key: SigningKey =
            switch kind {
            case .p256: .p256(P256.Signing.PrivateKey())
            case .rsa2048: .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048))
            }
        let name = try DistinguishedName {
            CommonName("Gatehouse Test CA \(kind.testDescription)")
            OrganizationName("Gatehouse")
        }
        var extensions = Certificate.Extensions()
        try extensions.append(Certificate.Extension(BasicConstraints.isCertificateAuthority(maxPathLength: 0), critical: true))
        var usage = KeyUsage(keyCertSign: true)
        usage.cRLSign = cRLSign
        try extensions.append(Certificate.Extension(usage, critical: true))
        let privateKey = key.certificateKey
        if subjectKeyIdentifier {
            try extensions.append(Certificate.Extension(SubjectKeyIdentifier(hash: privateKey.publicKey), critical: false))
        }
        let now = Date()
        certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: privateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 365), issuer: name,
            subject: name, signatureAlgorithm: kind == .p256 ? .ecdsaWithSHA256 : .sha256WithRSAEncryption, extensions: extensions,
            issuerPrivateKey: privateKey)
        self.key = key
    }

    /// A client certificate this CA issues, PEM.
    func issueLeaf(serial: Certificate.SerialNumber) throws -> String {
        let leafKey = P256.Signing.PrivateKey()
        let now = Date()
        let leaf = try Certificate(
            version: .v3, serialNumber: serial, publicKey: .init(leafKey.publicKey), notValidBefore: now.addingTimeInterval(-60),
            notValidAfter: now.addingTimeInterval(86_400), issuer: certificate.subject,
            subject: try DistinguishedName { CommonName("0016C001FF10A235") },
            signatureAlgorithm: certificate.signatureAlgorithm,
            extensions: try Certificate.Extensions {
                AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
            },
            issuerPrivateKey: key.certificateKey)
        return try leaf.serializeAsPEM().pemString + "\n"
    }

    var certificatePEM: String {
        get throws { try certificate.serializeAsPEM().pemString + "\n" }
    }

    func sign(_ tbsBytes: [UInt8]) throws -> (algorithm: Certificate.SignatureAlgorithm, signature: [UInt8]) {
        switch key {
        case .p256(let key) where prefersSHA384:
            (.ecdsaWithSHA384, Array(try key.signature(for: SHA384.hash(data: tbsBytes)).derRepresentation))
        case .p256(let key):
            (.ecdsaWithSHA256, Array(try key.signature(for: SHA256.hash(data: tbsBytes)).derRepresentation))
        case .rsa(let key):
            (
                .sha256WithRSAEncryption,
                Array(try key.signature(for: SHA256.hash(data: tbsBytes), padding: .insecurePKCS1v1_5).rawRepresentation)
            )
        }
    }
}

// MARK: - Helpers

extension Array where Element == UInt8 {
    fileprivate func crlContainsSubsequence(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

/// A scratch folder for one test and the real `/usr/bin/openssl` to run on its files.
private final class CRLWorkbench {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-crl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `contents` to `name` in the folder and returns its path.
    func write(_ contents: some Sequence<UInt8>, to name: String) throws -> String {
        let file = path + "/" + name
        try Data(contents).write(to: URL(fileURLWithPath: file))
        return file
    }

    func write(_ text: String, to name: String) throws -> String {
        try write(Array(text.utf8), to: name)
    }

    /// `openssl crl -inform DER -noout -text`.
    func text(of der: [UInt8]) async throws -> String {
        try await succeeding(["crl", "-inform", "DER", "-in", try write(der, to: "text.der"), "-noout", "-text"])
    }

    /// `openssl crl -in crl.pem -CAfile issuer.pem -noout -verify`.
    func verify(_ der: [UInt8], issuer: CRLTestIssuer) async throws -> String {
        try await succeeding([
            "crl", "-in", try write(CRLEncoder.pem(fromDER: der), to: "verify.pem"),
            "-CAfile", try write(issuer.certificatePEM, to: "verify-issuer.pem"), "-noout", "-verify",
        ])
    }

    /// Runs openssl; throws unless it exits 0.
    func succeeding(_ arguments: [String]) async throws -> String {
        let result = try await openssl(arguments)
        guard result.status == 0 else {
            throw Failure(description: "openssl \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)")
        }
        return result.output
    }

    /// Runs openssl; returns its exit status and its standard output and error together.
    func openssl(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let outputPath = try write([], to: "openssl-\(UUID().uuidString).out")
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = output
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try output.close()
        return (status, try String(contentsOfFile: outputPath, encoding: .utf8))
    }
}
