import Foundation
import LoRaWAN
import X509

/// What a gateway certificate says, decided by the CA alone (never by a CSR's requested extensions).
///
/// - subject: `CN=<EUI as 16 upper-case hex digits>`, the form gateway vendors use and the TLS
///   verifier matches against the registered gateway.
/// - subjectAltName: the EUI again, as a URI `urn:dev:mac:<16 lower-case hex digits>`. RFC 9039 §3.2
///   registers this DEV URN for MAC-48, EUI-48 and EUI-64 identifiers, so the SAN names the gateway
///   in a standard form. We chose a URI over a dNSName because the EUI is not a host name: a dNSName
///   would make a hostname-matching verifier treat the certificate as naming a host, and would fall
///   under an imported CA's dNSName name constraints. Basics Station ignores the CN and SAN of its
///   own certificate, so this is for our verifier and for operators reading the certificate.
/// - basicConstraints cA false (critical), keyUsage (critical) digitalSignature, plus
///   keyEncipherment for RSA (RFC 5246 RSA key exchange; ECDSA keys only sign), extended key usage
///   clientAuth only (RFC 5280 §4.2.1.12): the certificate cannot serve a TLS server.
/// - SKI (RFC 5280 §4.2.1.2 method 1) and AKI (the issuing CA's SKI).
public enum GatewayCertificateProfile {
    public static let defaultValidityDays = 365
    public static let validityDaysRange = 1...3650
    /// notBefore is this far before issuance, for gateways whose clock is a little behind.
    public static let clockSkewAllowance: TimeInterval = 5 * 60
    static let uriPrefix = "urn:dev:mac:"

    /// `urn:dev:mac:0016c001ff10a235` for EUI `0016C001FF10A235` (RFC 9039: lower-case hex).
    public static func subjectAlternativeNameURI(for gateway: EUI64) -> String {
        uriPrefix + Hex.encode(gateway.bigEndianBytes)
    }

    /// The EUI-64 in a `urn:dev:mac:` URI of 16 hex digits, or `nil` (a MAC-48 URN is not a gateway EUI).
    public static func gatewayEUI(fromSubjectAlternativeNameURI uri: String) -> EUI64? {
        guard uri.lowercased().hasPrefix(uriPrefix) else { return nil }
        let digits = uri.dropFirst(uriPrefix.count)
        guard digits.count == 16, let bytes = Hex.decode(digits, count: 8) else { return nil }
        return EUI64(bigEndianBytes: bytes)
    }

    static func subject(for gateway: EUI64) throws -> DistinguishedName {
        try DistinguishedName { CommonName(gateway.description) }
    }

    static let basicConstraints = try? Certificate.Extension(BasicConstraints.notCertificateAuthority, critical: true)
    static let clientAuthOnly = try? Certificate.Extension(ExtendedKeyUsage([.clientAuth]), critical: false)
    static let ecdsaKeyUsage = try? Certificate.Extension(KeyUsage(digitalSignature: true), critical: true)
    static let rsaKeyUsage = try? Certificate.Extension(KeyUsage(digitalSignature: true, keyEncipherment: true), critical: true)

    /// The extensions of a gateway certificate for `publicKey`, under the CA whose AKI extension is
    /// `authorityKeyIdentifier` (built once per issuer).
    static func extensions(
        for gateway: EUI64, publicKey: Certificate.PublicKey, keyAlgorithm: SubjectPublicKeyAlgorithm,
        authorityKeyIdentifier: Certificate.Extension
    ) throws -> Certificate.Extensions {
        let keyUsage: Certificate.Extension?
        if case .rsa = keyAlgorithm { keyUsage = rsaKeyUsage } else { keyUsage = ecdsaKeyUsage }
        guard let basicConstraints, let clientAuthOnly, let keyUsage else {
            throw GatewayCertificateIssuanceError.cryptographicFailure("the constant gateway extensions did not encode")
        }
        return try Certificate.Extensions([
            basicConstraints,
            keyUsage,
            clientAuthOnly,
            try SubjectKeyIdentifier(hash: publicKey).makeCertificateExtension(),
            authorityKeyIdentifier,
            try SubjectAlternativeNames([.uniformResourceIdentifier(subjectAlternativeNameURI(for: gateway))]).makeCertificateExtension(),
        ])
    }
}
