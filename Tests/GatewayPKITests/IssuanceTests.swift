import Foundation
import GatewayPKI
import LoRaWAN
import SwiftASN1
import Testing
import X509

/// Gateway certificates, with a server-generated key or from the gateway's CSR, checked with openssl.
@Suite("Gateway certificate issuance")
struct IssuanceTests {
    let gateway = PKIFixtures.gateway

    /// Issues, writes root.pem, intermediate.pem, gateway.crt (and gateway.key) and runs
    /// `openssl verify -CAfile root.pem -untrusted intermediate.pem gateway.crt`.
    func verifyWithOpenSSL(
        _ issued: IssuedGatewayCertificate, _ authorities: RootAndIssuingAuthorities, in directory: TemporaryDirectory
    ) throws -> String {
        try directory.write(issued.trustAnchorPEM, to: "root.pem")
        try directory.write(issued.chainPEM, to: "intermediate.pem")
        try directory.write(issued.certificatePEM, to: "gateway.crt")
        #expect(issued.trustAnchorPEM == PKIFixtures.pem(of: authorities.root))
        #expect(issued.chainPEM == PKIFixtures.pem(of: authorities.issuing))
        let verified = try OpenSSL.succeed(
            ["verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", "root.pem", "-untrusted", "intermediate.pem", "gateway.crt"],
            in: directory)
        #expect(verified.contains("gateway.crt: OK"))
        return try OpenSSL.succeed(["x509", "-in", "gateway.crt", "-text", "-noout"], in: directory)
    }

    // MARK: server-generated keys

    @Test("a P-256 server-key certificate verifies with openssl and carries the gateway profile")
    func serverKeyP256Profile() throws {
        let (authorities, issuer) = try PKIFixtures.hierarchy()
        let credentials = try issuer.issueWithServerKey(for: gateway, now: Date())
        let directory = try TemporaryDirectory()
        let text = try verifyWithOpenSSL(credentials.certificate, authorities, in: directory)

        #expect(text.contains("Subject: CN = 0016C001FF10A235"))
        #expect(text.contains("URI:urn:dev:mac:0016c001ff10a235"))
        #expect(text.contains("TLS Web Client Authentication"))
        #expect(!text.contains("TLS Web Server Authentication"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains("Digital Signature"))
        #expect(!text.contains("Key Encipherment"))
        #expect(text.contains("X509v3 Subject Key Identifier"))
        #expect(text.contains("X509v3 Authority Key Identifier"))
        #expect(text.contains("ASN1 OID: prime256v1"))

        let serial = try OpenSSL.succeed(["x509", "-in", "gateway.crt", "-noout", "-serial"], in: directory)
        #expect(PKIFixtures.hexValue(afterEquals: serial).count == 40)
    }

    @Test("the private key comes back once as PKCS #8 PEM and is the certificate's key")
    func serverKeyMatchesCertificate() throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let credentials = try issuer.issueWithServerKey(for: gateway, now: Date())
        let keyPEM = credentials.privateKey.exportPEM()
        #expect(keyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))

        let directory = try TemporaryDirectory()
        try directory.write(keyPEM, to: "gateway.key")
        try directory.write(credentials.certificate.certificatePEM, to: "gateway.crt")
        let fromKey = try OpenSSL.succeed(["pkey", "-in", "gateway.key", "-pubout"], in: directory)
        let fromCertificate = try OpenSSL.succeed(["x509", "-in", "gateway.crt", "-pubkey", "-noout"], in: directory)
        #expect(fromKey == fromCertificate)
    }

    @Test("RSA 2048 server keys verify with openssl and get digitalSignature and keyEncipherment", arguments: [GatewayKeyType.rsa2048])
    func serverKeyRSA(keyType: GatewayKeyType) throws {
        let (authorities, issuer) = try PKIFixtures.hierarchy()
        let credentials = try issuer.issueWithServerKey(for: gateway, keyType: keyType, now: Date())
        let directory = try TemporaryDirectory()
        let text = try verifyWithOpenSSL(credentials.certificate, authorities, in: directory)
        #expect(text.contains("Public-Key: (2048 bit)"))
        #expect(text.contains("Digital Signature, Key Encipherment"))
        #expect(credentials.certificate.record.keyAlgorithm == "RSA-2048")
        try directory.write(credentials.privateKey.exportPEM(), to: "gateway.key")
        #expect(try OpenSSL.succeed(["pkey", "-in", "gateway.key", "-text", "-noout"], in: directory).contains("2048 bit"))
    }

    @Test("RSA 3072 and 4096 server keys have the requested size", arguments: [GatewayKeyType.rsa3072, .rsa4096])
    func serverKeyLargeRSA(keyType: GatewayKeyType) throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let credentials = try issuer.issueWithServerKey(for: gateway, keyType: keyType, now: Date())
        #expect(credentials.certificate.record.keyAlgorithm == keyType.description)
    }

    @Test("the record holds serial, fingerprint, issuer, validity and key source as openssl reads them, and no key")
    func recordMatchesCertificate() throws {
        let (authorities, issuer) = try PKIFixtures.hierarchy()
        let now = Date()
        let credentials = try issuer.issueWithServerKey(for: gateway, validityDays: 30, now: now)
        let record = credentials.certificate.record
        let directory = try TemporaryDirectory()
        try directory.write(credentials.certificate.certificatePEM, to: "gateway.crt")

        let serial = try OpenSSL.succeed(["x509", "-in", "gateway.crt", "-noout", "-serial"], in: directory)
        let fingerprint = try OpenSSL.succeed(["x509", "-in", "gateway.crt", "-noout", "-fingerprint", "-sha256"], in: directory)
        #expect(record.serial == PKIFixtures.hexValue(afterEquals: serial))
        #expect(record.fingerprintSHA256 == PKIFixtures.hexValue(afterEquals: fingerprint))
        #expect(record.gatewayEUI == gateway)
        #expect(record.issuerID == authorities.issuing.id)
        #expect(record.keySource == .serverGenerated)
        #expect(record.keyAlgorithm == "P-256")
        #expect(record.issuedAt == now)
        #expect(abs(record.notBefore.timeIntervalSince(now.addingTimeInterval(-300))) < 1)
        #expect(abs(record.notAfter.timeIntervalSince(now.addingTimeInterval(30 * 86_400))) < 1)
        #expect(record.revocation == nil)
        #expect(PKIFixtures.pem(of: AuthorityRecord(id: "", role: .vendor, certificateDER: record.der, privateKey: nil, createdAt: now))
            == credentials.certificate.certificatePEM)
        for text in PKIFixtures.renderings(of: record) { #expect(!PKIFixtures.leaks(credentials.privateKey.exportPEM(), into: text)) }
    }

    @Test("credentials print their private key as <redacted>")
    func credentialsPrintRedacted() throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let credentials = try issuer.issueWithServerKey(for: gateway, now: Date())
        let keyPEM = credentials.privateKey.exportPEM()
        for value in [credentials as Any, credentials.privateKey] {
            for text in PKIFixtures.renderings(of: value) {
                #expect(!PKIFixtures.leaks(keyPEM, into: text))
                #expect(!text.contains("BEGIN PRIVATE KEY"))
            }
        }
        #expect(String(describing: credentials).contains("<redacted>"))
    }

    @Test("serial numbers are 20 positive octets and never repeat")
    func serialNumbers() throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        var serials = Set<String>()
        for _ in 0..<200 {
            let serial = try issuer.issueWithServerKey(for: gateway, now: Date()).certificate.certificate.serialNumber.bytes
            #expect(serial.count == 20)
            #expect(serial.first.map { $0 & 0x80 == 0 && $0 != 0 } == true)
            serials.insert(Hex.encode(serial))
        }
        #expect(serials.count == 200)
    }

    @Test("validity is configurable within 1...3650 days and may not outlive the issuing CA")
    func validityRules() throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let now = Date()
        #expect(throws: GatewayCertificateIssuanceError.invalidValidityDays(0)) {
            try issuer.issueWithServerKey(for: gateway, validityDays: 0, now: now)
        }
        let error = #expect(throws: GatewayCertificateIssuanceError.self) {
            // The issuing CA lives 10 calendar years (at most 3653 days); 5 days on, 3650 days outlive it.
            try issuer.issueWithServerKey(for: gateway, validityDays: 3650, now: now.addingTimeInterval(5 * 86_400))
        }
        guard case .validityExceedsIssuer = error else {
            Issue.record("expected validityExceedsIssuer, got \(String(describing: error))")
            return
        }
        #expect(error?.field == "validityDays")
        #expect(throws: GatewayCertificateIssuanceError.self) {
            try issuer.issueWithServerKey(for: gateway, validityDays: 1, now: now.addingTimeInterval(-86_400))
        }
    }

    @Test("the SAN URI is RFC 9039's urn:dev:mac form and reads back as the EUI")
    func subjectAlternativeNameURI() {
        #expect(GatewayCertificateProfile.subjectAlternativeNameURI(for: gateway) == "urn:dev:mac:0016c001ff10a235")
        #expect(GatewayCertificateProfile.gatewayEUI(fromSubjectAlternativeNameURI: "urn:dev:mac:0016c001ff10a235") == gateway)
        #expect(GatewayCertificateProfile.gatewayEUI(fromSubjectAlternativeNameURI: "URN:DEV:MAC:0016C001FF10A235") == gateway)
        #expect(GatewayCertificateProfile.gatewayEUI(fromSubjectAlternativeNameURI: "urn:dev:mac:0016c0a235ff") == nil)
        #expect(GatewayCertificateProfile.gatewayEUI(fromSubjectAlternativeNameURI: "https://example.com") == nil)
    }

    // MARK: CSRs, made the way gateway vendors make them

    /// Runs `openssl req -new -newkey <newKey> -nodes -subj <subject>` and returns the CSR (PEM, or
    /// DER with `der`) and the key file name.
    func makeCSR(
        newKey: [String], subject: String = "/CN=0016C001FF10A235", extra: [String] = [], der: Bool = false, in directory: TemporaryDirectory
    ) throws -> [UInt8] {
        try OpenSSL.succeed(
            ["req", "-new", "-newkey"] + newKey + ["-nodes", "-keyout", "gateway.key", "-subj", subject, "-out", "gateway.csr"]
                + (der ? ["-outform", "DER"] : []) + extra, in: directory)
        return try directory.readBytes("gateway.csr")
    }

    static let p256 = ["ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]

    @Test("CSRs that vendors make with openssl req are accepted: P-256, P-384, RSA 2048", arguments: [
        (p256, "P-256"),
        (["ec", "-pkeyopt", "ec_paramgen_curve:secp384r1"], "P-384"),
        (["rsa:2048"], "RSA-2048"),
    ])
    func acceptedCSRs(newKey: [String], keyAlgorithm: String) throws {
        let (authorities, issuer) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        let csr = try makeCSR(newKey: newKey, in: directory)
        let issued = try issuer.issue(for: gateway, certificationRequest: csr, now: Date())
        let text = try verifyWithOpenSSL(issued, authorities, in: directory)
        #expect(text.contains("Subject: CN = 0016C001FF10A235"))
        #expect(issued.record.keySource == .certificateSigningRequest)
        #expect(issued.record.keyAlgorithm == keyAlgorithm)

        let fromCSR = try OpenSSL.succeed(["req", "-in", "gateway.csr", "-pubkey", "-noout"], in: directory)
        let fromCertificate = try OpenSSL.succeed(["x509", "-in", "gateway.crt", "-pubkey", "-noout"], in: directory)
        #expect(fromCSR == fromCertificate)
        let keyMatches = try OpenSSL.succeed(["pkey", "-in", "gateway.key", "-pubout"], in: directory)
        #expect(keyMatches == fromCertificate)
    }

    @Test("a DER CSR is accepted like a PEM one")
    func derCSR() throws {
        let (authorities, issuer) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        let csr = try makeCSR(newKey: Self.p256, der: true, in: directory)
        #expect(csr.first == 0x30)
        let issued = try issuer.issue(for: gateway, certificationRequest: csr, now: Date())
        _ = try verifyWithOpenSSL(issued, authorities, in: directory)
    }

    @Test("the CSR's EUI may be written in any common form; it is compared as an EUI", arguments: [
        "/CN=0016c001ff10a235", "/CN=00-16-C0-01-FF-10-A2-35", "/CN=00:16:c0:01:ff:10:a2:35", "/O=Vendor/CN=0x0016C001FF10A235",
    ])
    func commonNameForms(subject: String) throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        let csr = try makeCSR(newKey: Self.p256, subject: subject, in: directory)
        let issued = try issuer.issue(for: gateway, certificationRequest: csr, now: Date())
        #expect(issued.certificate.subject.description == "CN=0016C001FF10A235")
    }

    @Test("the CA decides the extensions: a CSR asking for CA:TRUE and a DNS name gets neither")
    func requestedExtensionsIgnored() throws {
        let (authorities, issuer) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        let csr = try makeCSR(
            newKey: Self.p256, subject: "/O=Evil/CN=0016C001FF10A235",
            extra: ["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "subjectAltName=DNS:evil.example",
                    "-addext", "extendedKeyUsage=serverAuth"], in: directory)
        let text = try verifyWithOpenSSL(try issuer.issue(for: gateway, certificationRequest: csr, now: Date()), authorities, in: directory)
        #expect(text.contains("CA:FALSE"))
        #expect(!text.contains("evil.example"))
        #expect(!text.contains("Evil"))
        #expect(!text.contains("TLS Web Server Authentication"))
        #expect(text.contains("URI:urn:dev:mac:0016c001ff10a235"))
    }

    @Test("CSRs with weak or unsupported keys are refused with the key named", arguments: [
        (["rsa:1024"], CertificationRequestError.rsaKeyTooSmall(bits: 1024)),
        (["ec", "-pkeyopt", "ec_paramgen_curve:secp521r1"], .unsupportedCurve(.p521)),
        (["ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"], .unsupportedCurve(.other("1.3.132.0.10"))),
        (["ed25519"], .unsupportedKeyAlgorithm(.ed25519)),
    ])
    func refusedKeys(newKey: [String], expected: CertificationRequestError) throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        let csr = try makeCSR(newKey: newKey, in: directory)
        let error = #expect(throws: GatewayCertificateIssuanceError.invalidCertificationRequest(expected)) {
            try issuer.issue(for: gateway, certificationRequest: csr, now: Date())
        }
        #expect(error?.field == "csr.subjectPublicKeyInfo")
    }

    @Test("a CSR for another gateway's EUI is refused")
    func otherCommonName() throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        let csr = try makeCSR(newKey: Self.p256, subject: "/CN=0016C001FF10A236", in: directory)
        let error = #expect(throws: GatewayCertificateIssuanceError.invalidCertificationRequest(
            .commonNameMismatch(expected: gateway, found: EUI64(0x0016_C001_FF10_A236)))) {
            try issuer.issue(for: gateway, certificationRequest: csr, now: Date())
        }
        #expect(error?.field == "csr.subject.commonName")
    }

    @Test("a CSR whose commonName is missing, not an EUI, or doubled is refused", arguments: [
        ("/O=Vendor", CertificationRequestError.missingCommonName),
        ("/CN=gateway-17", .commonNameNotAnEUI("gateway-17")),
        ("/CN=0016C001FF10A235/CN=0016C001FF10A235", .severalCommonNames(count: 2)),
    ])
    func badCommonNames(subject: String, expected: CertificationRequestError) throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        let csr = try makeCSR(newKey: Self.p256, subject: subject, in: directory)
        #expect(throws: GatewayCertificateIssuanceError.invalidCertificationRequest(expected)) {
            try issuer.issue(for: gateway, certificationRequest: csr, now: Date())
        }
    }

    @Test("a CSR with a corrupted signature is refused", arguments: [Self.p256, ["rsa:2048"]])
    func corruptedSignature(newKey: [String]) throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        var csr = try makeCSR(newKey: newKey, der: true, in: directory)
        csr[csr.count - 1] ^= 0x01  // the last octet of the signature BIT STRING
        #expect(throws: GatewayCertificateIssuanceError.invalidCertificationRequest(.signatureInvalid)) {
            try issuer.issue(for: gateway, certificationRequest: csr, now: Date())
        }
    }

    @Test("bytes that are not a CSR are refused as malformed, PEM or DER")
    func malformedCSR() throws {
        let (_, issuer) = try PKIFixtures.hierarchy()
        let inputs: [[UInt8]] = [
            [], Array("hello".utf8), [0x30, 0x03, 0x02, 0x01, 0x00],
            Array("-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n".utf8),
            Array(PKIFixtures.pem(of: try PKIFixtures.hierarchy().0.root).utf8),
        ]
        for input in inputs {
            let error = #expect(throws: GatewayCertificateIssuanceError.self) {
                try issuer.issue(for: gateway, certificationRequest: input, now: Date())
            }
            #expect(error?.field == "csr")
        }
    }
}
