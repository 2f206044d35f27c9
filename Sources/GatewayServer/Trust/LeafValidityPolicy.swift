import Foundation
import X509

/// The leaf certificate is valid at the verifier's time: not expired, not yet to come.
///
/// `RFC5280Policy` (in ``TrustedChainPolicy``) checks every certificate of the chain too, but
/// reports only "could not validate"; checking the leaf here first gives the operator "expired at
/// ..." rather than "untrusted chain". No clock-skew allowance: Gatehouse's clock is the reference,
/// and issuance already backdates notBefore by `GatewayCertificateProfile.clockSkewAllowance`.
public struct LeafValidityPolicy: ImmediateGatewayTrustPolicy {
    public init() {}

    public func decide(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult {
        let leaf = candidate.leaf
        if candidate.validationTime < leaf.notValidBefore { return .refused(.notYetValid(notBefore: leaf.notValidBefore)) }
        if candidate.validationTime > leaf.notValidAfter { return .refused(.expired(notAfter: leaf.notValidAfter)) }
        return .meetsPolicy
    }
}
