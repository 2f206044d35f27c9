import GatewayPKI

/// The leaf's key is strong enough for a gateway: RSA of at least 2048 bits (NIST SP 800-131A
/// Rev. 2 §6), or ECDSA on P-256 or P-384, the curves Basics Station's mbedTLS builds offer.
///
/// The candidate's key algorithm comes from its SubjectPublicKeyInfo (``SubjectPublicKeyAlgorithm``, read by GatewayPKI).
/// swift-certificates cannot even parse an RSA-1024 certificate, so ``GatewayHandshakeVerifier``
/// applies ``accepts(_:)`` to the raw DER of such a leaf itself, before any policy runs.
public struct ClientKeyPolicy: ImmediateGatewayTrustPolicy {
    public static let minimumRSABits = 2048

    public init() {}

    public func decide(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult {
        Self.accepts(candidate.leafKeyAlgorithm) ? .meetsPolicy : .refused(.weakKey(candidate.leafKeyAlgorithm))
    }

    /// Whether a gateway may hold a key of this algorithm.
    public static func accepts(_ algorithm: SubjectPublicKeyAlgorithm) -> Bool {
        switch algorithm {
        case .ecdsa(.p256), .ecdsa(.p384): true
        case .rsa(let bits): bits >= minimumRSABits
        case .ecdsa, .ed25519, .ed448, .other: false
        }
    }
}
