/// A ``GatewayTrustPolicy`` that never waits: a pure check of the candidate, or a look at state
/// held in memory (the live revocation set). It writes its rule once, in ``decide(_:)``, and
/// answers both ways with it, so the handshake's fast path and its task path cannot disagree.
public protocol ImmediateGatewayTrustPolicy: GatewayTrustPolicy {
    func decide(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult
}

extension ImmediateGatewayTrustPolicy {
    public func evaluateImmediately(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult? {
        decide(candidate)
    }

    public func evaluate(_ candidate: GatewayHandshakeCandidate) async -> GatewayTrustPolicyResult {
        decide(candidate)
    }
}
