import Crypto
import Foundation
import GatewayPKI
import LoRaWAN
import SwiftASN1
import Testing
import X509

/// Creating, importing and trusting CAs, the `CertificateSigner`, and the offline root, checked with
/// openssl.
@Suite("Certificate authorities")
struct AuthorityTests {
    // MARK: creation

    @Test("a new P-256 root and issuing CA form a chain openssl verifies, with the RFC 5280 CA profile")
    func rootAndIssuingProfile() throws {
        let (authorities, _) = try PKIFixtures.hierarchy(.p256)
        let directory = try TemporaryDirectory()
        try PKIFixtures.writeChain(authorities, in: directory)

        let verified = try OpenSSL.succeed(["verify", "-x509_strict", "-CAfile", "root.pem", "intermediate.pem"], in: directory)
        #expect(verified.contains("intermediate.pem: OK"))

        let root = try OpenSSL.succeed(["x509", "-in", "root.pem", "-text", "-noout"], in: directory)
        #expect(root.contains("CA:TRUE, pathlen:1"))
        #expect(root.contains("Certificate Sign, CRL Sign"))
        #expect(root.contains("Subject: O = Gatehouse Tests, CN = Test Root CA"))
        #expect(root.contains("X509v3 Subject Key Identifier"))
        #expect(root.contains("X509v3 Authority Key Identifier"))
        #expect(root.contains("ecdsa-with-SHA256"))

        let issuing = try OpenSSL.succeed(["x509", "-in", "intermediate.pem", "-text", "-noout"], in: directory)
        #expect(issuing.contains("CA:TRUE, pathlen:0"))
        #expect(issuing.contains("Certificate Sign, CRL Sign"))
        #expect(issuing.contains("Subject: O = Gatehouse Tests, CN = Test Gateway Issuing CA"))
        #expect(issuing.contains("Issuer: O = Gatehouse Tests, CN = Test Root CA"))
    }

    @Test("the root is valid 20 years and the issuing CA 10 years, from 5 minutes before now")
    func validityPeriods() throws {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        let authorities = try CertificateAuthorities.makeRootAndIssuing(commonName: "Test", organization: nil, keyType: .p256, now: now)
        let root = authorities.rootSigner.certificate
        let issuing = authorities.issuingSigner.certificate
        #expect(root.notValidBefore == now.addingTimeInterval(-300))
        #expect(issuing.notValidBefore == now.addingTimeInterval(-300))
        let years = { (date: Date) in Calendar(identifier: .gregorian).dateComponents([.year], from: now, to: date).year }
        #expect(years(root.notValidAfter) == 20)
        #expect(years(issuing.notValidAfter) == 10)
        #expect(authorities.root.createdAt == now)
    }

    @Test("an authority's id is the SHA-256 fingerprint of its certificate, as openssl computes it")
    func authorityIDIsFingerprint() throws {
        let (authorities, _) = try PKIFixtures.hierarchy()
        let directory = try TemporaryDirectory()
        try PKIFixtures.writeChain(authorities, in: directory)
        let fingerprint = try OpenSSL.succeed(["x509", "-in", "root.pem", "-noout", "-fingerprint", "-sha256"], in: directory)
        #expect(PKIFixtures.hexValue(afterEquals: fingerprint) == authorities.root.id)
        #expect(authorities.root.role == .root)
        #expect(authorities.issuing.role == .issuing)
        #expect(authorities.root.privateKey != nil && authorities.issuing.privateKey != nil)
        #expect(authorities.issuingSigner.authorityID == authorities.issuing.id)
    }

    @Test("P-384 and RSA 3072/4096 hierarchies verify with openssl", arguments: [
        (CertificateAuthorityKeyType.p384, "ecdsa-with-SHA384", "384 bit"),
        (.rsa3072, "sha256WithRSAEncryption", "3072 bit"),
        (.rsa4096, "sha256WithRSAEncryption", "4096 bit"),
    ])
    func otherKeyTypes(keyType: CertificateAuthorityKeyType, signatureAlgorithm: String, keySize: String) throws {
        let (authorities, _) = try PKIFixtures.hierarchy(keyType)
        let directory = try TemporaryDirectory()
        try PKIFixtures.writeChain(authorities, in: directory)
        try OpenSSL.succeed(["verify", "-x509_strict", "-CAfile", "root.pem", "intermediate.pem"], in: directory)
        let text = try OpenSSL.succeed(["x509", "-in", "intermediate.pem", "-text", "-noout"], in: directory)
        #expect(text.contains(signatureAlgorithm))
        #expect(text.contains(keySize))
        #expect(authorities.issuingSigner.keyAlgorithm.description == keyType.description)
    }

    @Test("an empty or overlong CA name is refused")
    func invalidNames() {
        #expect(throws: CertificateAuthorityError.invalidName(field: "commonName", reason: "it is empty")) {
            try CertificateAuthorities.makeRootAndIssuing(commonName: "  ", now: Date())
        }
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CertificateAuthorities.makeRootAndIssuing(commonName: "Test", organization: String(repeating: "x", count: 65), now: Date())
        }
        #expect(error == .invalidName(field: "organization", reason: "it has 65 characters, at most 64 fit"))
    }

    // MARK: the signer

    @Test("sign() gives signatures openssl verifies: ECDSA-Sig-Value for P-256 and P-384, PKCS #1 v1.5 for RSA", arguments: [
        (CertificateAuthorityKeyType.p256, "-sha256", Certificate.SignatureAlgorithm.ecdsaWithSHA256),
        (.p384, "-sha384", .ecdsaWithSHA384),
        (.rsa3072, "-sha256", .sha256WithRSAEncryption),
    ])
    func signVerifiesWithOpenSSL(keyType: CertificateAuthorityKeyType, digest: String, expected: Certificate.SignatureAlgorithm) throws {
        let (authorities, _) = try PKIFixtures.hierarchy(keyType)
        let directory = try TemporaryDirectory()
        try PKIFixtures.writeChain(authorities, in: directory)
        let data = Array("a TBSCertList stands in here".utf8)
        let (algorithm, signature) = try authorities.issuingSigner.sign(data)
        #expect(algorithm == expected)
        try directory.write(data, to: "data")
        try directory.write(signature, to: "sig.der")
        try directory.write(try OpenSSL.succeed(["x509", "-in", "intermediate.pem", "-pubkey", "-noout"], in: directory), to: "pub.pem")
        let verified = try OpenSSL.succeed(["dgst", digest, "-verify", "pub.pem", "-signature", "sig.der", "data"], in: directory)
        #expect(verified.contains("Verified OK"))
    }

    @Test("a signer loaded from its stored record signs for the same CA")
    func signerFromRecord() throws {
        let (authorities, _) = try PKIFixtures.hierarchy()
        let loaded = try SoftwareCertificateSigner(authority: authorities.issuing)
        #expect(loaded.authorityID == authorities.issuing.id)
        #expect(loaded.certificate == authorities.issuingSigner.certificate)
        let data = Array("bytes".utf8)
        let (_, signature) = try loaded.sign(data)
        #expect(authorities.issuingSigner.certificate.publicKey.isValidSignature(signature, for: data, signatureAlgorithm: .ecdsaWithSHA256))
    }

    @Test("a record whose key is not its certificate's, or has no key, gives no signer")
    func signerRefusesMismatchedRecord() throws {
        let (authorities, _) = try PKIFixtures.hierarchy()
        var mixed = authorities.issuing
        mixed.privateKey = authorities.root.privateKey
        #expect(throws: CertificateAuthorityError.privateKeyDoesNotMatchCertificate(authorityID: mixed.id)) {
            try SoftwareCertificateSigner(authority: mixed)
        }
        mixed.privateKey = nil
        #expect(throws: CertificateAuthorityError.noPrivateKey(authorityID: mixed.id)) { try SoftwareCertificateSigner(authority: mixed) }
    }

    @Test("signers and CA records print no key material")
    func signersPrintRedacted() throws {
        let (authorities, _) = try PKIFixtures.hierarchy()
        let keyPEM = try CertificateAuthorities.exportRootPrivateKey(authorities.root).exportPEM()
        let issuingKey = try #require(authorities.issuing.privateKey).exportDER()
        let values: [Any] = [authorities, authorities.rootSigner, authorities.root, authorities.issuingSigner]
        for text in values.flatMap(PKIFixtures.renderings(of:)) {
            #expect(!PKIFixtures.leaks(keyPEM, into: text))
            #expect(!text.contains(Hex.encode(issuingKey)))
        }
    }

    @Test("an HSM-style CustomPrivateKey signs through the same CertificateSigner protocol")
    func customPrivateKeySigner() throws {
        let counter = HSMStandInKey.Counter()
        let hsmKey = HSMStandInKey(key: P256.Signing.PrivateKey(), counter: counter)
        let name = try DistinguishedName { CommonName("HSM CA") }
        let identifier = SubjectKeyIdentifier(hash: hsmKey.publicKey)
        let caCertificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: hsmKey.publicKey, notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(86_400 * 400), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                identifier
            },
            issuerPrivateKey: Certificate.PrivateKey(hsmKey))
        var serializer = DER.Serializer()
        try serializer.serialize(caCertificate)
        let signer = HSMStandInSigner(certificate: caCertificate, authorityID: "hsm", privateKey: Certificate.PrivateKey(hsmKey))
        let issuer = try GatewayCertificateIssuer(signer: signer, trustAnchor: caCertificate)
        let credentials = try issuer.issueWithServerKey(for: PKIFixtures.gateway, now: Date())
        #expect(counter.count == 2)
        #expect(credentials.certificate.record.issuerID == "hsm")

        let directory = try TemporaryDirectory()
        try directory.write(PEMDocument(type: "CERTIFICATE", derBytes: serializer.serializedBytes).pemString, to: "hsm.pem")
        try directory.write(credentials.certificate.certificatePEM, to: "gateway.crt")
        try OpenSSL.succeed(["verify", "-CAfile", "hsm.pem", "gateway.crt"], in: directory)
        let (_, signature) = try signer.sign(Array("crl".utf8))
        try directory.write(Array("crl".utf8), to: "data")
        try directory.write(signature, to: "sig.der")
        try directory.write(try OpenSSL.succeed(["x509", "-in", "hsm.pem", "-pubkey", "-noout"], in: directory), to: "pub.pem")
        #expect(try OpenSSL.succeed(["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "data"], in: directory).contains("Verified OK"))
    }

    // MARK: import of an operator CA

    /// An operator CA made with `openssl req -x509`, with the key in the form the command writes.
    struct OperatorCA {
        let certificatePEM: String
        let privateKeyPEM: String
    }

    /// Makes a self-signed CA with openssl; `keyCommand` writes `ca.key`, `extensions` go to `-addext`.
    static func makeOperatorCA(
        keyCommand: [String], days: Int = 3650, extensions: [String] = ["keyUsage=critical,keyCertSign,cRLSign"], in directory: TemporaryDirectory
    ) throws -> OperatorCA {
        try OpenSSL.succeed(keyCommand, in: directory)
        try OpenSSL.succeed(
            ["req", "-x509", "-new", "-key", "ca.key", "-out", "ca.pem", "-days", "\(days)", "-subj", "/O=Operator/CN=Operator CA"]
                + extensions.flatMap { ["-addext", $0] }, in: directory)
        return OperatorCA(certificatePEM: try directory.read("ca.pem"), privateKeyPEM: try directory.read("ca.key"))
    }

    static let operatorKeyCommands: [[String]] = [
        ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", "ca.key"],
        ["ecparam", "-genkey", "-name", "secp384r1", "-out", "ca.key"],
        ["genrsa", "-traditional", "-out", "ca.key", "2048"],
        ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", "ca.key"],
    ]

    @Test("an operator CA made with openssl (PKCS #8, SEC 1 or PKCS #1 key) imports and issues certificates openssl accepts",
          arguments: operatorKeyCommands)
    func importOperatorCA(keyCommand: [String]) throws {
        let directory = try TemporaryDirectory()
        let ca = try Self.makeOperatorCA(keyCommand: keyCommand, in: directory)
        let imported = try CertificateAuthorities.importIssuingCA(certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM, now: Date())
        #expect(imported.authority.role == .issuing)
        #expect(imported.authority.id == imported.signer.authorityID)
        let storedKey = try #require(imported.authority.privateKey)
        #expect(try SoftwareCertificateSigner(privateKey: storedKey, certificateDER: imported.authority.certificateDER).authorityID == imported.authority.id)

        let issuer = try GatewayCertificateIssuer(signer: imported.signer, trustAnchor: imported.signer.certificate)
        let credentials = try issuer.issueWithServerKey(for: PKIFixtures.gateway, now: Date())
        try directory.write(credentials.certificate.certificatePEM, to: "gateway.crt")
        let verified = try OpenSSL.succeed(["verify", "-CAfile", "ca.pem", "gateway.crt"], in: directory)
        #expect(verified.contains("gateway.crt: OK"))
    }

    @Test("an operator CA without a keyUsage extension (openssl's default) imports")
    func importWithoutKeyUsage() throws {
        let directory = try TemporaryDirectory()
        let ca = try Self.makeOperatorCA(
            keyCommand: Self.operatorKeyCommands[0], extensions: [], in: directory)
        #expect(throws: Never.self) {
            try CertificateAuthorities.importIssuingCA(certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM, now: Date())
        }
    }

    @Test("an expired or not yet valid operator CA is refused")
    func importRefusesOutsideValidity() throws {
        let directory = try TemporaryDirectory()
        let ca = try Self.makeOperatorCA(keyCommand: Self.operatorKeyCommands[0], days: 30, in: directory)
        let expired = #expect(throws: AuthorityImportError.self) {
            try CertificateAuthorities.importIssuingCA(
                certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM, now: Date().addingTimeInterval(31 * 86_400))
        }
        let notAfter = try Certificate(pemEncoded: ca.certificatePEM).notValidAfter
        #expect(expired == .certificateExpired(notAfter: notAfter))
        #expect(expired?.field == "certificatePEM")
        #expect(expired?.description.contains("notAfter") == true)

        let early = #expect(throws: AuthorityImportError.self) {
            try CertificateAuthorities.importIssuingCA(
                certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM, now: Date().addingTimeInterval(-86_400))
        }
        let notBefore = try Certificate(pemEncoded: ca.certificatePEM).notValidBefore
        #expect(early == .certificateNotYetValid(notBefore: notBefore))
    }

    @Test("an operator CA whose key does not match its certificate is refused without quoting the key")
    func importRefusesMismatchedKey() throws {
        let directory = try TemporaryDirectory()
        let ca = try Self.makeOperatorCA(keyCommand: Self.operatorKeyCommands[0], in: directory)
        try OpenSSL.succeed(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", "other.key"], in: directory)
        let otherKey = try directory.read("other.key")
        let error = #expect(throws: AuthorityImportError.privateKeyDoesNotMatchCertificate) {
            try CertificateAuthorities.importIssuingCA(certificatePEM: ca.certificatePEM, privateKeyPEM: otherKey, now: Date())
        }
        #expect(error?.field == "privateKeyPEM")
        for text in PKIFixtures.renderings(of: error as Any) { #expect(!PKIFixtures.leaks(otherKey, into: text)) }
    }

    @Test("a certificate that is not a CA, or may not sign certificates or CRLs, is refused", arguments: [
        (["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature"], AuthorityImportError.notACertificateAuthority),
        (["basicConstraints=critical,CA:TRUE", "keyUsage=critical,digitalSignature,cRLSign"], .keyCertSignNotPermitted),
        (["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign"], .cRLSignNotPermitted),
    ])
    func importRefusesNonCA(extensions: [String], expected: AuthorityImportError) throws {
        let directory = try TemporaryDirectory()
        try OpenSSL.succeed(Self.operatorKeyCommands[0], in: directory)
        // A leaf signed by a throwaway CA, so openssl's req -x509 CA defaults do not apply.
        try OpenSSL.succeed(["req", "-new", "-key", "ca.key", "-out", "leaf.csr", "-subj", "/CN=Not a CA"], in: directory)
        try OpenSSL.succeed(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", "signer.key", "-out", "signer.pem", "-subj", "/CN=Signer", "-days", "30"], in: directory)
        try directory.write(extensions.joined(separator: "\n") + "\n", to: "leaf.ext")
        try OpenSSL.succeed(["x509", "-req", "-in", "leaf.csr", "-CA", "signer.pem", "-CAkey", "signer.key", "-CAcreateserial",
                             "-days", "30", "-extfile", "leaf.ext", "-out", "leaf.pem"], in: directory)
        #expect(throws: expected) {
            try CertificateAuthorities.importIssuingCA(
                certificatePEM: try directory.read("leaf.pem"), privateKeyPEM: try directory.read("ca.key"), now: Date())
        }
        #expect(expected.field == "certificatePEM")
    }

    @Test("weak and unknown CA key types are refused with the key named", arguments: [
        (["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "ca.key"],
         AuthorityImportError.rsaKeyTooSmall(field: "certificatePEM", bits: 1024)),
        (["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp521r1", "-out", "ca.key"],
         .unsupportedCurve(field: "certificatePEM", curve: .p521)),
        (["genpkey", "-algorithm", "ED25519", "-out", "ca.key"], .unsupportedKeyAlgorithm(field: "certificatePEM", algorithm: .ed25519)),
    ])
    func importRefusesWeakKeys(keyCommand: [String], expected: AuthorityImportError) throws {
        let directory = try TemporaryDirectory()
        let ca = try Self.makeOperatorCA(keyCommand: keyCommand, in: directory)
        let error = #expect(throws: expected) {
            try CertificateAuthorities.importIssuingCA(certificatePEM: ca.certificatePEM, privateKeyPEM: ca.privateKeyPEM, now: Date())
        }
        #expect(error.map { $0.description.contains("Gatehouse accepts ECDSA P-256 or P-384") } == true)
    }

    @Test("malformed, encrypted or swapped PEM input is refused with the field named and no key quoted")
    func importRefusesMalformedPEM() throws {
        let directory = try TemporaryDirectory()
        let ca = try Self.makeOperatorCA(keyCommand: Self.operatorKeyCommands[0], in: directory)
        try OpenSSL.succeed(["pkcs8", "-topk8", "-in", "ca.key", "-out", "encrypted.key", "-v2", "aes-256-cbc", "-passout", "pass:secret"],
                            in: directory)
        let encrypted = try directory.read("encrypted.key")
        var truncatedKey = ca.privateKeyPEM.split(separator: "\n").map(String.init)
        truncatedKey.remove(at: 2)
        let damagedKey = truncatedKey.joined(separator: "\n")

        let cases: [(certificate: String, key: String, field: String)] = [
            ("not a certificate", ca.privateKeyPEM, "certificatePEM"),
            (ca.privateKeyPEM, ca.privateKeyPEM, "certificatePEM"),
            ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", ca.privateKeyPEM, "certificatePEM"),
            (ca.certificatePEM + ca.certificatePEM, ca.privateKeyPEM, "certificatePEM"),
            (ca.certificatePEM, "", "privateKeyPEM"),
            (ca.certificatePEM, ca.certificatePEM, "privateKeyPEM"),
            (ca.certificatePEM, damagedKey, "privateKeyPEM"),
            (ca.certificatePEM, encrypted, "privateKeyPEM"),
        ]
        for (certificate, key, field) in cases {
            let error = #expect(throws: AuthorityImportError.self) {
                try CertificateAuthorities.importIssuingCA(certificatePEM: certificate, privateKeyPEM: key, now: Date())
            }
            #expect(error?.field == field)
            for text in PKIFixtures.renderings(of: error as Any) {
                #expect(!PKIFixtures.leaks(ca.privateKeyPEM, into: text))
                #expect(!PKIFixtures.leaks(encrypted, into: text))
            }
        }
        #expect(throws: AuthorityImportError.encryptedPrivateKey) {
            try CertificateAuthorities.importIssuingCA(certificatePEM: ca.certificatePEM, privateKeyPEM: encrypted, now: Date())
        }
    }

    // MARK: vendor CAs and the offline root

    @Test("a vendor CA is trusted from its certificate alone; a vendor certificate that is not a CA is refused")
    func trustVendorCA() throws {
        let directory = try TemporaryDirectory()
        let ca = try Self.makeOperatorCA(keyCommand: Self.operatorKeyCommands[2], in: directory)
        let vendor = try CertificateAuthorities.trustVendorCA(certificatePEM: ca.certificatePEM, now: Date())
        #expect(vendor.role == .vendor)
        #expect(vendor.privateKey == nil)
        #expect(vendor.certificateDER == (try PEMDocument(pemString: ca.certificatePEM).derBytes))

        let (_, issuer) = try PKIFixtures.hierarchy()
        let gatewayCertificate = try issuer.issueWithServerKey(for: PKIFixtures.gateway, now: Date()).certificate.certificatePEM
        #expect(throws: AuthorityImportError.notACertificateAuthority) {
            try CertificateAuthorities.trustVendorCA(certificatePEM: gatewayCertificate, now: Date())
        }
    }

    @Test("the root key exports as PKCS #8 PEM matching the root certificate; an issuing CA's key does not export")
    func exportOfflineRoot() throws {
        let (authorities, _) = try PKIFixtures.hierarchy()
        let exported = try CertificateAuthorities.exportRootPrivateKey(authorities.root)
        #expect(exported.description == "PrivateKeyPEM(<redacted>)")
        #expect(exported.exportPEM().hasPrefix("-----BEGIN PRIVATE KEY-----"))

        let directory = try TemporaryDirectory()
        try PKIFixtures.writeChain(authorities, in: directory)
        try directory.write(exported.exportPEM(), to: "root.key")
        let fromKey = try OpenSSL.succeed(["pkey", "-in", "root.key", "-pubout"], in: directory)
        let fromCertificate = try OpenSSL.succeed(["x509", "-in", "root.pem", "-pubkey", "-noout"], in: directory)
        #expect(fromKey == fromCertificate)

        #expect(throws: CertificateAuthorityError.notARoot(authorityID: authorities.issuing.id, role: .issuing)) {
            try CertificateAuthorities.exportRootPrivateKey(authorities.issuing)
        }
        var offline = authorities.root
        offline.privateKey = nil
        #expect(throws: CertificateAuthorityError.noPrivateKey(authorityID: offline.id)) {
            try CertificateAuthorities.exportRootPrivateKey(offline)
        }
    }
}
