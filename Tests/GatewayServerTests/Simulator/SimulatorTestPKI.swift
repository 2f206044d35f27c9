import Crypto
import Foundation
import SwiftASN1
import X509

/// A throwaway certificate authority with a server and client certificates under it, for talking to
/// a test server the way a station does. Everything is P-256 and valid for an hour around now.
struct SimulatorTestPKI: Sendable {
    /// The trust a station holds (`tc.trust`): the CA certificate.
    let trustPEM: String
    /// The server's certificate: DNS SANs `localhost` and `127.0.0.1` (what mbedTLS matches), no IP SAN.
    let serverCertificatePEM: String
    let serverKeyPEM: String
    /// A client certificate for the gateway `0016C001FF10A235`, signed by the CA.
    let clientCertificatePEM: String
    let clientKeyPEM: String
    /// A client certificate from a CA the server does not trust.
    let foreignClientCertificatePEM: String
    let foreignClientKeyPEM: String

    init() throws {
        let now = Date()
        let ca = try Self.authority(named: "Simulator Test CA", now: now)
        let foreignCA = try Self.authority(named: "Foreign CA", now: now)
        let server = try Self.leaf(
            commonName: "localhost", issuedBy: ca, now: now,
            usage: .serverAuth, names: [.dnsName("localhost"), .dnsName("127.0.0.1")])
        let client = try Self.leaf(commonName: "0016C001FF10A235", issuedBy: ca, now: now, usage: .clientAuth, names: [])
        let foreign = try Self.leaf(commonName: "0016C001FF10A235", issuedBy: foreignCA, now: now, usage: .clientAuth, names: [])
        trustPEM = try ca.certificate.serializeAsPEM().pemString
        serverCertificatePEM = try server.certificate.serializeAsPEM().pemString
        serverKeyPEM = server.key.pemRepresentation
        clientCertificatePEM = try client.certificate.serializeAsPEM().pemString
        clientKeyPEM = client.key.pemRepresentation
        foreignClientCertificatePEM = try foreign.certificate.serializeAsPEM().pemString
        foreignClientKeyPEM = foreign.key.pemRepresentation
    }

    private struct Issued {
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
    }

    private static func authority(named name: String, now: Date) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(3600),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return Issued(certificate: certificate, key: key)
    }

    private static func leaf(
        commonName: String,
        issuedBy issuer: Issued,
        now: Date,
        usage: ExtendedKeyUsage.Usage,
        names: [GeneralName]
    ) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(3600),
            issuer: issuer.certificate.subject,
            subject: try DistinguishedName { CommonName(commonName) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([usage])
                if !names.isEmpty {
                    SubjectAlternativeNames(names)
                }
            },
            issuerPrivateKey: Certificate.PrivateKey(issuer.key)
        )
        return Issued(certificate: certificate, key: key)
    }
}
