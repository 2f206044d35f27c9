import Crypto
import _CryptoExtras
import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import SwiftASN1
import X509

/// A CA hierarchy as `gatehouse ca init` makes it, and gateway certificates under it: as Gatehouse
/// issues them, or crafted by hand in the shapes Gatehouse never issues (expired, no clientAuth,
/// a CN that is not an EUI, ...), so each trust policy can be shown refusing one thing.
struct TrustPKI: Sendable {
    static let gateway = EUI64(0x0016_C001_FF10_A235)
    static let unregisteredGateway = EUI64(0x0016_C001_FF10_FFFF)

    let authorities: RootAndIssuingAuthorities
    let issuer: GatewayCertificateIssuer
    /// The time the hierarchy was made, and the verifier's clock in most tests.
    let now: Date

    init(now: Date = Date(), keyType: CertificateAuthorityKeyType = .p256) throws {
        self.now = now
        authorities = try CertificateAuthorities.makeRootAndIssuing(
            commonName: "Trust Test", organization: "Gatehouse Tests", keyType: keyType, now: now)
        issuer = try GatewayCertificateIssuer(signer: authorities.issuingSigner, trustAnchor: authorities.rootSigner.certificate)
    }

    var root: Certificate { authorities.rootSigner.certificate }
    var issuing: Certificate { authorities.issuingSigner.certificate }

    /// The trust the server has after `ca init`: the root and the issuing CA.
    func trustStore() -> GatewayTrustStore {
        GatewayTrustStore(authorities: [authorities.root, authorities.issuing])
    }

    /// A gateway certificate exactly as Gatehouse issues it, with its key.
    func issue(_ eui: EUI64 = TrustPKI.gateway, keyType: GatewayKeyType = .p256, validityDays: Int = 30) throws -> TrustGatewayCredentials {
        let credentials = try issuer.issueWithServerKey(for: eui, keyType: keyType, validityDays: validityDays, now: now)
        return TrustGatewayCredentials(
            certificate: credentials.certificate.certificate, serial: credentials.certificate.record.serial,
            fingerprintSHA256: credentials.certificate.record.fingerprintSHA256,
            privateKey: try Certificate.PrivateKey(pemEncoded: credentials.privateKey.exportPEM()))
    }

    /// A leaf signed by our issuing CA with whatever subject, extensions and validity the test needs.
    func craft(
        subject: DistinguishedName, extensions: Certificate.Extensions? = nil,
        notBefore: Date? = nil, notAfter: Date? = nil, publicKey: Certificate.PublicKey? = nil
    ) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey ?? Certificate.PublicKey(P256.Signing.PrivateKey().publicKey),
            notValidBefore: notBefore ?? now.addingTimeInterval(-3600), notValidAfter: notAfter ?? now.addingTimeInterval(86_400),
            issuer: issuing.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try extensions ?? Self.gatewayExtensions(), issuerPrivateKey: authorities.issuingSigner.privateKey)
    }

    /// `CN=<EUI>`, as Gatehouse names gateways.
    static func subject(_ eui: EUI64 = TrustPKI.gateway) throws -> DistinguishedName {
        try DistinguishedName { CommonName(eui.description) }
    }

    /// The extensions of a gateway certificate: not a CA, clientAuth, and optionally a SAN.
    static func gatewayExtensions(
        usages: [ExtendedKeyUsage.Usage]? = [.clientAuth], criticalUsage: Bool = false, sanURIs: [String] = []
    ) throws -> Certificate.Extensions {
        var list: [Certificate.Extension] = [try Certificate.Extension(BasicConstraints.notCertificateAuthority, critical: true)]
        if let usages { list.append(try Certificate.Extension(ExtendedKeyUsage(usages), critical: criticalUsage)) }
        if !sanURIs.isEmpty {
            list.append(try SubjectAlternativeNames(sanURIs.map { .uniformResourceIdentifier($0) }).makeCertificateExtension())
        }
        return try Certificate.Extensions(list)
    }

    /// A self-signed CA that Gatehouse does not trust (a stranger's, or a vendor's not yet trusted).
    static func makeForeignCA(now: Date, name: String = "Stranger CA") throws -> (certificate: Certificate, key: Certificate.PrivateKey) {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now.addingTimeInterval(-86_400), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: key)
        return (certificate, key)
    }

    /// A gateway leaf for `eui` signed by a foreign CA.
    static func leaf(_ eui: EUI64 = TrustPKI.gateway, signedBy ca: (certificate: Certificate, key: Certificate.PrivateKey), now: Date) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(P256.Signing.PrivateKey().publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: ca.certificate.subject, subject: try subject(eui), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try gatewayExtensions(), issuerPrivateKey: ca.key)
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    static func pem(_ certificate: Certificate) throws -> String {
        try certificate.serializeAsPEM().pemString
    }
}

/// A gateway certificate with its key and the PKI's record forms of its serial and fingerprint.
struct TrustGatewayCredentials: Sendable {
    let certificate: Certificate
    let serial: String
    let fingerprintSHA256: String
    let privateKey: Certificate.PrivateKey
}

extension TrustPKI {
    /// A candidate for a single policy, judged at `time` (the hierarchy's `now` by default).
    func candidate(
        _ leaf: Certificate, presenting intermediates: [Certificate] = [], keyAlgorithm: SubjectPublicKeyAlgorithm = .ecdsa(.p256), at time: Date? = nil
    ) throws -> GatewayHandshakeCandidate {
        GatewayHandshakeCandidate(
            leaf: leaf, presentedIntermediates: intermediates, leafKeyAlgorithm: keyAlgorithm,
            validationTime: time ?? now)
    }
}

/// The certificate a gateway listener presents: self-signed for `localhost`, serverAuth.
struct TrustServerIdentity: Sendable {
    let certificate: Certificate
    let privateKey: Certificate.PrivateKey

    init(now: Date = Date(), privateKey: Certificate.PrivateKey = Certificate.PrivateKey(P256.Signing.PrivateKey())) throws {
        self.privateKey = privateKey
        let name = try DistinguishedName { CommonName("localhost") }
        let signatureAlgorithm: Certificate.SignatureAlgorithm =
            _RSA.Signing.PublicKey(privateKey.publicKey) == nil ? (P384.Signing.PublicKey(privateKey.publicKey) == nil ? .ecdsaWithSHA256 : .ecdsaWithSHA384) : .sha256WithRSAEncryption
        certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: privateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400),
            issuer: name, subject: name, signatureAlgorithm: signatureAlgorithm,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.dnsName("localhost")])
            },
            issuerPrivateKey: privateKey)
    }
}
