import Foundation

/// Why an operator's CA (certificate and key) or a vendor CA (certificate) was refused.
///
/// Each case names the input field (``field``) and says in a sentence what is wrong, for the 4xx
/// response. No case carries private key bytes: key problems are described, never quoted.
public enum AuthorityImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The certificate text is not a PEM `CERTIFICATE` block (RFC 7468 §5).
    case malformedCertificatePEM(reason: String)
    /// The PEM holds more than one certificate; give only the CA's own.
    case severalCertificates(count: Int)
    /// The PEM block is not a DER X.509 certificate (RFC 5280 §4.1).
    case malformedCertificate(reason: String)
    /// The key text is not a PKCS #8, SEC 1 or PKCS #1 private key in PEM.
    case malformedPrivateKeyPEM(reason: String)
    /// An `ENCRYPTED PRIVATE KEY`: Gatehouse has no passphrase; decrypt it first.
    case encryptedPrivateKey
    /// RFC 5280 §4.1.2.5: the certificate's notBefore is later than now.
    case certificateNotYetValid(notBefore: Date)
    /// RFC 5280 §4.1.2.5: the certificate's notAfter has passed.
    case certificateExpired(notAfter: Date)
    /// RFC 5280 §4.2.1.9: no basicConstraints extension, or cA is false.
    case notACertificateAuthority
    /// RFC 5280 §4.2.1.3: the keyUsage extension is present without keyCertSign.
    case keyCertSignNotPermitted
    /// RFC 5280 §4.2.1.3: the keyUsage extension is present without cRLSign, so the CA could not sign
    /// the CRL of the certificates it issues.
    case cRLSignNotPermitted
    /// An RSA key under 2048 bits, in the certificate or the private key.
    case rsaKeyTooSmall(field: String, bits: Int?)
    /// An elliptic curve other than P-256 or P-384.
    case unsupportedCurve(field: String, curve: SubjectPublicKeyAlgorithm.NamedCurve)
    /// A key type Gatehouse does not sign with (Ed25519, DSA, RSASSA-PSS-only, ...).
    case unsupportedKeyAlgorithm(field: String, algorithm: SubjectPublicKeyAlgorithm)
    /// The private key is not the one whose public key the certificate holds.
    case privateKeyDoesNotMatchCertificate

    /// The input field the problem is in: `certificatePEM` or `privateKeyPEM`.
    public var field: String {
        switch self {
        case .malformedPrivateKeyPEM, .encryptedPrivateKey, .privateKeyDoesNotMatchCertificate: "privateKeyPEM"
        case .rsaKeyTooSmall(let field, _), .unsupportedCurve(let field, _), .unsupportedKeyAlgorithm(let field, _): field
        default: "certificatePEM"
        }
    }

    public var description: String {
        switch self {
        case .malformedCertificatePEM(let reason):
            "certificatePEM is not a PEM certificate: \(reason)."
        case .severalCertificates(let count):
            "certificatePEM holds \(count) certificates; give only the CA's own certificate."
        case .malformedCertificate(let reason):
            "certificatePEM does not hold a valid X.509 certificate: \(reason)."
        case .malformedPrivateKeyPEM(let reason):
            "privateKeyPEM is not a PKCS #8, SEC 1 or PKCS #1 private key: \(reason)."
        case .encryptedPrivateKey:
            "privateKeyPEM is encrypted; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem)."
        case .certificateNotYetValid(let notBefore):
            "certificatePEM is not valid yet: its notBefore is \(notBefore.formatted(.iso8601))."
        case .certificateExpired(let notAfter):
            "certificatePEM has expired: its notAfter was \(notAfter.formatted(.iso8601))."
        case .notACertificateAuthority:
            "certificatePEM is not a CA certificate: its basicConstraints extension is missing or has cA false."
        case .keyCertSignNotPermitted:
            "certificatePEM may not sign certificates: its keyUsage extension lacks keyCertSign."
        case .cRLSignNotPermitted:
            "certificatePEM may not sign CRLs: its keyUsage extension lacks cRLSign."
        case .rsaKeyTooSmall(let field, let bits):
            "\(field) holds an RSA key of \(bits.map { "\($0) bits" } ?? "under 2048 bits"); \(KeyAcceptancePolicy.acceptedKeysSentence)."
        case .unsupportedCurve(let field, let curve):
            "\(field) holds a key on \(curve); \(KeyAcceptancePolicy.acceptedKeysSentence)."
        case .unsupportedKeyAlgorithm(let field, let algorithm):
            "\(field) holds a key of type \(algorithm); \(KeyAcceptancePolicy.acceptedKeysSentence)."
        case .privateKeyDoesNotMatchCertificate:
            "privateKeyPEM does not match certificatePEM: the certificate holds another public key."
        }
    }
}

extension AuthorityImportError {
    init(_ refusal: KeyAcceptancePolicy.Refusal, field: String) {
        switch refusal {
        case .rsaKeyTooSmall(let bits): self = .rsaKeyTooSmall(field: field, bits: bits)
        case .unsupportedCurve(let curve): self = .unsupportedCurve(field: field, curve: curve)
        case .unsupportedAlgorithm(let algorithm): self = .unsupportedKeyAlgorithm(field: field, algorithm: algorithm)
        }
    }
}
