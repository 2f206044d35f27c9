import Foundation
import GatewayPKI
import X509

/// One rule a gateway's client certificate must meet for its TLS handshake to complete.
///
/// This mirrors swift-certificates' `VerifierPolicy` (a small value answering "meets policy" or
/// "fails, because ..."), but the failure is a typed ``GatewayHandshakeRefusal`` rather than a
/// string: the reason becomes a metrics label, and `Verifier` only reports a list of string
/// failures per candidate chain, from which the rule that failed cannot be recovered.
/// swift-certificates still does the chain work: ``TrustedChainPolicy`` runs its `Verifier` with
/// `RFC5280Policy`. ``GatewayHandshakeVerifier`` composes the policies, in one place and order.
public protocol GatewayTrustPolicy: Sendable {
    func evaluate(_ candidate: GatewayHandshakeCandidate) async -> GatewayTrustPolicyResult
}

/// What a ``GatewayTrustPolicy`` decided.
public enum GatewayTrustPolicyResult: Sendable, Hashable {
    case meetsPolicy
    case refused(GatewayHandshakeRefusal)
}

/// A client certificate chain under evaluation: the parsed leaf, the certificates the peer sent
/// after it, the leaf's key algorithm and the one time every policy judges against.
public struct GatewayHandshakeCandidate: Sendable {
    public let leaf: Certificate
    /// What the peer sent after the leaf: hints for chain building, never trusted by themselves.
    public let presentedIntermediates: [Certificate]
    public let leafKeyAlgorithm: SubjectPublicKeyAlgorithm
    /// "Now", read once from the verifier's clock.
    public let validationTime: Date

    public init(leaf: Certificate, presentedIntermediates: [Certificate], leafKeyAlgorithm: SubjectPublicKeyAlgorithm, validationTime: Date) {
        self.leaf = leaf
        self.presentedIntermediates = presentedIntermediates
        self.leafKeyAlgorithm = leafKeyAlgorithm
        self.validationTime = validationTime
    }
}
