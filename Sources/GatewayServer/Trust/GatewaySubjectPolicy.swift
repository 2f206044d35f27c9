import X509

/// The leaf names exactly one gateway EUI, by the rules of ``GatewayIdentity/gatewayEUI(of:)``:
/// a CN that is not 16 hex digits is refused, not skipped.
public struct GatewaySubjectPolicy: ImmediateGatewayTrustPolicy {
    public init() {}

    public func decide(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult {
        switch candidate.gatewayEUI {
        case .success: .meetsPolicy
        case .failure(let refusal): .refused(refusal)
        }
    }
}
