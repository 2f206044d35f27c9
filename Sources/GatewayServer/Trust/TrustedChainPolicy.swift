@_spi(FixedExpiryValidationTime) import X509

/// The leaf chains to a trust anchor of the ``GatewayTrustStore`` (our root, an anchor-level issuing
/// CA, or a vendor CA), through our issuing CAs and whatever intermediates the peer sent, and the
/// chain meets swift-certificates' `RFC5280Policy` at the verifier's time: signatures, every
/// certificate valid now, basic constraints and path length, name constraints.
///
/// The fixed validation time (an SPI of swift-certificates) is the verifier's injected clock, so
/// tests can move time and the whole handshake judges one "now".
///
/// A chain the `Verifier` accepted is remembered in a ``VerifiedChainCache`` for the snapshot it was
/// verified under; a gateway connecting again is answered from it immediately, with the validity of
/// every certificate of the chain still judged at the handshake's time. A chain not remembered
/// needs the `Verifier`, which is async: that is the one case where this policy must wait.
public struct TrustedChainPolicy: GatewayTrustPolicy {
    /// At most this many certificates after the leaf are considered; a peer sending more gets them
    /// ignored rather than a chain search over its whole list.
    public static let maximumPresentedIntermediates = 4

    public let trustStore: GatewayTrustStore
    public let verifiedChains: VerifiedChainCache

    public init(trustStore: GatewayTrustStore, verifiedChains: VerifiedChainCache = VerifiedChainCache()) {
        self.trustStore = trustStore
        self.verifiedChains = verifiedChains
    }

    public func evaluateImmediately(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult? {
        let snapshot = trustStore.snapshot
        guard !snapshot.anchors.isEmpty else { return .refused(.untrustedChain) }
        return verifiedChains.contains(candidate, snapshotVersion: snapshot.version) ? .meetsPolicy : nil
    }

    public func evaluate(_ candidate: GatewayHandshakeCandidate) async -> GatewayTrustPolicyResult {
        let snapshot = trustStore.snapshot
        guard !snapshot.anchors.isEmpty else { return .refused(.untrustedChain) }
        if verifiedChains.contains(candidate, snapshotVersion: snapshot.version) { return .meetsPolicy }
        let intermediates = snapshot.intermediateStore.appending(
            contentsOf: candidate.presentedIntermediates.prefix(Self.maximumPresentedIntermediates))
        var verifier = Verifier(rootCertificates: snapshot.anchorStore) {
            RFC5280Policy(fixedExpiryValidationTime: candidate.validationTime)
            ClientAuthenticationPolicy()
        }
        switch await verifier.validate(leaf: candidate.leaf, intermediates: intermediates) {
        case .validCertificate(let chain):
            verifiedChains.remember(Array(chain), for: candidate, snapshot: snapshot)
            return .meetsPolicy
        case .couldNotValidate:
            return .refused(.untrustedChain)
        }
    }
}
