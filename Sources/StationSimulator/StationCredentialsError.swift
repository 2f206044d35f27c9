/// Why a station's credentials could not be loaded or turned into a TLS context.
///
/// No case carries key material: a reason is NIOSSL's or the file system's error text.
public enum StationCredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The trust file or text held no certificate. A station refuses to connect without trust.
    case noTrustRoots
    /// A certificate (trust or client chain) could not be parsed as PEM or DER.
    case malformedCertificate(String)
    /// The private key could not be parsed as PEM or DER.
    case malformedPrivateKey(String)
    /// A client certificate was given without its key, or a key without a certificate. (The station's
    /// token mode, a key file holding HTTP header lines, is not simulated.)
    case incompleteClientIdentity
    /// NIOSSL refused the configuration (for example a cipher list that names no known suite).
    case invalidTLSConfiguration(String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "The file \(path) could not be read: \(reason)"
        case .noTrustRoots:
            "The trust holds no certificate; a station needs at least one to verify the server."
        case .malformedCertificate(let reason):
            "A certificate could not be parsed: \(reason)"
        case .malformedPrivateKey(let reason):
            "The private key could not be parsed: \(reason)"
        case .incompleteClientIdentity:
            "A client certificate and its private key must be given together."
        case .invalidTLSConfiguration(let reason):
            "The TLS configuration was refused: \(reason)"
        }
    }
}
