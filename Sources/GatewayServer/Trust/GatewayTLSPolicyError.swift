import GatewayPKI

/// Why ``GatewayTLSPolicy`` refused to build a server configuration for the gateway listeners.
public enum GatewayTLSPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No certificate was given.
    case emptyCertificateChain
    /// The server key is not RSA of at least 2048 bits or ECDSA P-256.
    case weakServerKey(SubjectPublicKeyAlgorithm)
    /// The private key is not the one whose public key the leaf certificate holds.
    case privateKeyDoesNotMatchCertificate
    /// BoringSSL refused a certificate or key that swift-certificates accepted.
    case rejectedByTLSLibrary(String)

    public var description: String {
        switch self {
        case .emptyCertificateChain:
            "the gateway listener needs a server certificate, and none was given"
        case .weakServerKey(let algorithm):
            "the gateway listener's key is \(algorithm); it must be RSA of at least 2048 bits or ECDSA P-256, which every Basics Station build can verify"
        case .privateKeyDoesNotMatchCertificate:
            "the gateway listener's private key does not belong to its certificate"
        case .rejectedByTLSLibrary(let what):
            "the TLS library refused the gateway listener's \(what)"
        }
    }
}
