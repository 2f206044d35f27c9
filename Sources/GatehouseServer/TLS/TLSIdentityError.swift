/// Why a listener's certificate or private key cannot be used.
///
/// Every case names files, never their content: a description is safe to log and to show.
public enum TLSIdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be opened or read; `reason` is the operating system's explanation.
    case unreadable(path: String, reason: String)
    /// The file holds no PEM `CERTIFICATE` block, or one that is not a valid X.509 certificate.
    case notPEMCertificate(path: String)
    /// The file holds no PEM private key that Gatehouse can use (PKCS #8, SEC 1 EC or PKCS #1 RSA).
    case notPEMPrivateKey(path: String)
    /// The private key's public half differs from the certificate's public key.
    case privateKeyDoesNotMatchCertificate(certificatePath: String, privateKeyPath: String)
    /// Only one of the development certificate's two files exists.
    case incompleteDevelopmentIdentity(existing: String, missing: String)
    /// The development certificate or its key could not be written.
    case cannotStore(path: String, reason: String)
    /// The development certificate could not be created.
    case cannotIssueDevelopmentCertificate(reason: String)
    /// The TLS library refused the certificate or key although they parsed.
    case rejectedByTLSLibrary(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "Cannot read \(path): \(reason)."
        case .notPEMCertificate(let path):
            "\(path) is not a PEM-encoded X.509 certificate: expected one or more \"-----BEGIN CERTIFICATE-----\" blocks."
        case .notPEMPrivateKey(let path):
            "\(path) is not a PEM-encoded private key: expected a \"PRIVATE KEY\", \"EC PRIVATE KEY\" or \"RSA PRIVATE KEY\" block."
        case .privateKeyDoesNotMatchCertificate(let certificatePath, let privateKeyPath):
            "The private key in \(privateKeyPath) does not belong to the certificate in \(certificatePath)."
        case .incompleteDevelopmentIdentity(let existing, let missing):
            "\(existing) exists but \(missing) does not: delete \(existing) so that Gatehouse creates a new development certificate, or restore \(missing)."
        case .cannotStore(let path, let reason):
            "Cannot store \(path): \(reason)."
        case .cannotIssueDevelopmentCertificate(let reason):
            "Cannot create the development certificate: \(reason)."
        case .rejectedByTLSLibrary(let path):
            "The TLS library cannot use \(path) although it parses; check the key type and the certificate's encoding."
        }
    }
}
