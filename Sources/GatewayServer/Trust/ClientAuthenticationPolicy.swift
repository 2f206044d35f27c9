import SwiftASN1
import X509

/// The leaf's extended key usage includes id-kp-clientAuth (RFC 5280 §4.2.1.12).
///
/// A certificate without the extension is refused too: RFC 5280 reads its absence as "any use",
/// but every gateway certificate Gatehouse issues carries clientAuth, and requiring it keeps a
/// vendor CA's server certificates from logging in as gateways.
///
/// It is also a swift-certificates `VerifierPolicy`, used inside ``TrustedChainPolicy``'s
/// `Verifier`: a `Verifier` refuses a leaf with a critical extension no policy claims, and some
/// vendors mark EKU critical. Claiming the extension there is honest because this policy enforces it.
public struct ClientAuthenticationPolicy: ImmediateGatewayTrustPolicy, VerifierPolicy {
    public let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [.X509ExtensionID.extendedKeyUsage]

    public init() {}

    public func decide(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult {
        Self.permitsClientAuthentication(candidate.leaf) ? .meetsPolicy : .refused(.missingClientAuthentication)
    }

    public func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        Self.permitsClientAuthentication(chain.leaf)
            ? .meetsPolicy : .failsToMeetPolicy(reason: "ClientAuthenticationPolicy: the leaf's extended key usage lacks clientAuth")
    }

    static func permitsClientAuthentication(_ leaf: Certificate) -> Bool {
        guard let usage = try? leaf.extensions.extendedKeyUsage else { return false }
        return usage.contains(.clientAuth)
    }
}
