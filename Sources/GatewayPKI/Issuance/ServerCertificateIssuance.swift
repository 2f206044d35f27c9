import Foundation
import SwiftASN1
import X509

/// A TLS server certificate for Gatehouse's own gateway listeners (CUPS and LNS), signed by the
/// issuing CA, so a station that trusts Gatehouse's root (`cups.trust`, `tc.trust` in its bundle)
/// trusts the server without a second trust anchor.
///
/// Profile: CN = the first name, every name as a dNSName SAN (LoRa Basics Station's mbedTLS 2.28
/// matches the URI host against CN and dNSName only, so `127.0.0.1` must also appear as a dNSName),
/// IP addresses also as iPAddress SANs for every other client, EKU serverAuth only, digitalSignature,
/// not a CA, P-256.
public struct ServerCredentials: Sendable, CustomStringConvertible {
    /// The server certificate followed by the issuing CA: what the listener presents.
    public let certificateChain: [Certificate]
    /// The root the chain ends in: what stations put in their `.trust` files.
    public let trustAnchor: Certificate
    /// PKCS #8 PEM; prints as `<redacted>`.
    public let privateKey: PrivateKeyPEM
    public var description: String { "ServerCredentials(subject: \(certificateChain.first?.subject.description ?? "?"), privateKey: <redacted>)" }
}

extension GatewayCertificateIssuer {
    /// Issues a server certificate for `names` (host names or IP address literals).
    public func issueServerCertificate(names: [String], validityDays: Int, now: Date) throws(GatewayCertificateIssuanceError) -> ServerCredentials {
        guard let first = names.first else { throw .cryptographicFailure("a server certificate needs at least one name") }
        var alternativeNames: [GeneralName] = names.map { .dnsName($0) }
        for name in names {
            if let address = Self.ipAddressBytes(name) { alternativeNames.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address)))) }
        }
        return try issueServiceCertificate(commonName: first, alternativeNames: alternativeNames, usage: .serverAuth, validityDays: validityDays, now: now)
    }

    /// Issues a TLS client certificate naming a back-end peer (`ns:<NetID>` or `as:<AS-ID>`) in its CN,
    /// with which a Network or Application Server proves itself to the Join Server's Backend Interfaces
    /// listener. EKU clientAuth only, so it can neither serve TLS nor pass as a gateway (whose CN is an EUI).
    public func issueBackendClientCertificate(commonName: String, validityDays: Int, now: Date) throws(GatewayCertificateIssuanceError) -> ServerCredentials {
        try issueServiceCertificate(commonName: commonName, alternativeNames: [], usage: .clientAuth, validityDays: validityDays, now: now)
    }

    private func issueServiceCertificate(
        commonName: String, alternativeNames: [GeneralName], usage: ExtendedKeyUsage.Usage, validityDays: Int, now: Date
    ) throws(GatewayCertificateIssuanceError) -> ServerCredentials {
        try checkValidity(days: validityDays, now: now)
        do {
            let key = try SoftwareKey.generate(.p256)
            var generator = SystemRandomNumberGenerator()
            let certificate = try Certificate(
                version: .v3,
                serialNumber: RandomSerialNumber.make(using: &generator),
                publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-GatewayCertificateProfile.clockSkewAllowance),
                notValidAfter: now.addingTimeInterval(Double(validityDays) * 86_400),
                issuer: signer.certificate.subject,
                subject: try DistinguishedName { CommonName(commonName) },
                signatureAlgorithm: signer.signatureAlgorithm,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    SubjectKeyIdentifier(hash: key.publicKey)
                    authorityKeyIdentifier
                    if !alternativeNames.isEmpty { SubjectAlternativeNames(alternativeNames) }
                },
                issuerPrivateKey: signer.privateKey)
            return ServerCredentials(certificateChain: [certificate, signer.certificate], trustAnchor: trustAnchor, privateKey: key.pkcs8PEM)
        } catch let error as GatewayCertificateIssuanceError {
            throw error
        } catch {
            throw .cryptographicFailure(String(describing: error))
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 literal, or `nil` for a host name.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
