import X509
import GatewayPKI

/// The leaf's serial is not in the live ``RevocationState``: the set the PKI updates right after a
/// revocation commits, so a revocation applies to the very next handshake (DESIGN.md invariant 5).
/// A CRL would lag by its regeneration; the CRL is for gateways and third parties, not for us.
public struct RevocationPolicy: ImmediateGatewayTrustPolicy {
    public let revocation: RevocationState

    public init(revocation: RevocationState) {
        self.revocation = revocation
    }

    public func decide(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult {
        // The form of `RevocationState` and `CertificateRecord.serial`: the INTEGER octets, lower-case hex.
        let serial = CertificateEncoding.serialHex(candidate.leaf.serialNumber)
        return revocation.isRevoked(serial: serial) ? .refused(.revoked(serial: serial)) : .meetsPolicy
    }
}
