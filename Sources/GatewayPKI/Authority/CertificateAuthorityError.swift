/// Why a CA could not be created, loaded from its record, or have its root key exported.
///
/// These are operator or deployment problems (a bad name, a damaged record), never input from a
/// gateway. No case carries key bytes.
public enum CertificateAuthorityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A CA name field is empty or too long for a DirectoryString (RFC 5280 Appendix A: ub-name 32768,
    /// and Gatehouse keeps names under 64 characters, the ub-common-name of X.520).
    case invalidName(field: String, reason: String)
    /// The authority record has no private key: a vendor CA, or a root whose key was taken offline.
    case noPrivateKey(authorityID: String)
    /// The stored certificate DER does not parse.
    case unreadableCertificate(authorityID: String, reason: String)
    /// The stored private key does not parse as PKCS #8, or is of a type Gatehouse does not sign with.
    case unreadablePrivateKey(authorityID: String, reason: String)
    /// The stored private key is not the key of the stored certificate.
    case privateKeyDoesNotMatchCertificate(authorityID: String)
    /// Only a root's key is exported for offline keeping; an issuing CA's key stays in service.
    case notARoot(authorityID: String, role: AuthorityRole)
    /// Key generation or signing failed inside swift-crypto or swift-certificates.
    case cryptographicFailure(String)

    public var description: String {
        switch self {
        case .invalidName(let field, let reason):
            "\(field) is not a usable CA name: \(reason)."
        case .noPrivateKey(let id):
            "The CA \(id) has no private key in Gatehouse (a vendor CA, or an offline root)."
        case .unreadableCertificate(let id, let reason):
            "The stored certificate of CA \(id) cannot be read: \(reason)."
        case .unreadablePrivateKey(let id, let reason):
            "The stored private key of CA \(id) cannot be used: \(reason)."
        case .privateKeyDoesNotMatchCertificate(let id):
            "The stored private key of CA \(id) does not match its certificate."
        case .notARoot(let id, let role):
            "The CA \(id) is a \(role.rawValue) CA; only a root's key is exported for offline keeping."
        case .cryptographicFailure(let reason):
            "A cryptographic operation failed: \(reason)."
        }
    }
}

extension SoftwareKey.ReadingProblem {
    /// A sentence for the problem, without any key bytes.
    var reason: String {
        switch self {
        case .malformed(let reason): reason
        case .encrypted: "the key is encrypted"
        case .unsupported(let algorithm): "\(algorithm) keys are not supported"
        case .rsaTooSmall: "the RSA key is shorter than 2048 bits"
        }
    }
}
