import X509

/// The leaf names exactly one gateway EUI, by the rules of ``GatewayIdentity/gatewayEUI(of:)``:
/// a CN that is not 16 hex digits is refused, not skipped.
public struct GatewaySubjectPolicy: GatewayTrustPolicy {
    public init() {}

    public func evaluate(_ candidate: GatewayHandshakeCandidate) async -> GatewayTrustPolicyResult {
        switch GatewayIdentity.gatewayEUI(of: candidate.leaf) {
        case .success: .meetsPolicy
        case .failure(let refusal): .refused(refusal)
        }
    }
}
