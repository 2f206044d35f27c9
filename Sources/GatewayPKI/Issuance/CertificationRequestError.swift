import LoRaWAN

/// Why a gateway's certificate signing request (PKCS #10, RFC 2986) was refused.
///
/// Each case names the CSR field (``field``) and says in a sentence what is wrong, for the 4xx
/// response. Text taken from the CSR is shortened and stripped of control characters first.
public enum CertificationRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a PEM `CERTIFICATE REQUEST` block (RFC 7468 §7).
    case malformedPEM(reason: String)
    /// The bytes are not a DER `CertificationRequest`.
    case malformed(reason: String)
    /// An RSA key under 2048 bits.
    case rsaKeyTooSmall(bits: Int)
    /// An elliptic curve other than P-256 or P-384.
    case unsupportedCurve(SubjectPublicKeyAlgorithm.NamedCurve)
    /// A key type Gatehouse does not sign for (Ed25519, DSA, RSASSA-PSS-only, ...).
    case unsupportedKeyAlgorithm(SubjectPublicKeyAlgorithm)
    /// The CSR's signature does not verify with its own public key: it was altered, or whoever made
    /// it does not hold the private key (RFC 2986 §3 proof of possession).
    case signatureInvalid
    /// The subject has no commonName.
    case missingCommonName
    /// The subject has several commonNames; which one names the gateway would be ambiguous.
    case severalCommonNames(count: Int)
    /// The commonName is not an EUI-64 in any common form.
    case commonNameNotAnEUI(String)
    /// The commonName is another gateway's EUI.
    case commonNameMismatch(expected: EUI64, found: EUI64)

    /// The CSR field the problem is in.
    public var field: String {
        switch self {
        case .malformedPEM, .malformed: "csr"
        case .rsaKeyTooSmall, .unsupportedCurve, .unsupportedKeyAlgorithm: "csr.subjectPublicKeyInfo"
        case .signatureInvalid: "csr.signature"
        case .missingCommonName, .severalCommonNames, .commonNameNotAnEUI, .commonNameMismatch: "csr.subject.commonName"
        }
    }

    public var description: String {
        switch self {
        case .malformedPEM(let reason):
            "csr is not a PEM certificate request: \(reason)."
        case .malformed(let reason):
            "csr is not a valid PKCS #10 certificate request: \(reason)."
        case .rsaKeyTooSmall(let bits):
            "csr.subjectPublicKeyInfo is an RSA key of \(bits) bits; \(KeyAcceptancePolicy.acceptedKeysSentence)."
        case .unsupportedCurve(let curve):
            "csr.subjectPublicKeyInfo is a key on \(curve); \(KeyAcceptancePolicy.acceptedKeysSentence)."
        case .unsupportedKeyAlgorithm(let algorithm):
            "csr.subjectPublicKeyInfo is a key of type \(algorithm); \(KeyAcceptancePolicy.acceptedKeysSentence)."
        case .signatureInvalid:
            "csr.signature does not verify with the CSR's public key."
        case .missingCommonName:
            "csr.subject has no commonName; it must be the gateway's EUI."
        case .severalCommonNames(let count):
            "csr.subject has \(count) commonNames; it must have exactly one, the gateway's EUI."
        case .commonNameNotAnEUI(let text):
            "csr.subject.commonName \"\(text)\" is not an EUI-64."
        case .commonNameMismatch(let expected, let found):
            "csr.subject.commonName is \(found), but the certificate is for gateway \(expected)."
        }
    }
}

extension CertificationRequestError {
    init(_ refusal: KeyAcceptancePolicy.Refusal) {
        switch refusal {
        case .rsaKeyTooSmall(let bits): self = .rsaKeyTooSmall(bits: bits)
        case .unsupportedCurve(let curve): self = .unsupportedCurve(curve)
        case .unsupportedAlgorithm(let algorithm): self = .unsupportedKeyAlgorithm(algorithm)
        }
    }

    /// Text from a CSR, safe to put in a message: at most 64 characters, no control characters.
    static func quoted(_ text: String) -> String {
        let visible = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        return visible.count > 64 ? visible.prefix(64) + "…" : visible
    }
}
