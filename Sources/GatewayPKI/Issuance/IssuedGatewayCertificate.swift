import X509

/// A gateway certificate just signed: the record to store and what the operator copies to the gateway.
public struct IssuedGatewayCertificate: Sendable {
    /// What storage keeps (never a private key).
    public let record: CertificateRecord
    public let certificate: Certificate
    /// The gateway certificate, PEM.
    public let certificatePEM: String
    /// The issuing CA certificate, PEM: what the gateway sends after its own certificate.
    public let chainPEM: String
    /// The root (trust anchor) certificate, PEM.
    public let trustAnchorPEM: String
}

/// A gateway certificate with the key Gatehouse generated for it.
///
/// The key exists only here: it is not in ``certificate``'s record, it is returned once and then
/// forgotten (DESIGN.md invariant 1). Printing this value shows the certificate and `<redacted>`.
public struct GatewayCredentials: Sendable, CustomStringConvertible, CustomReflectable {
    public let certificate: IssuedGatewayCertificate
    /// PKCS #8 PEM; prints as `<redacted>`.
    public let privateKey: PrivateKeyPEM

    public var description: String {
        "GatewayCredentials(gateway: \(certificate.record.gatewayEUI), serial: \(certificate.record.serial), privateKey: <redacted>)"
    }
    public var customMirror: Mirror { Mirror(self, children: ["certificate": certificate.record], displayStyle: .struct) }
}
