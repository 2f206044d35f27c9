@_spi(FixedExpiryValidationTime) import X509

/// The leaf chains to a trust anchor of the ``GatewayTrustStore`` (our root, an anchor-level issuing
/// CA, or a vendor CA), through our issuing CAs and whatever intermediates the peer sent, and the
/// chain meets swift-certificates' `RFC5280Policy` at the verifier's time: signatures, every
/// certificate valid now, basic constraints and path length, name constraints.
///
/// The fixed validation time (an SPI of swift-certificates) is the verifier's injected clock, so
/// tests can move time and the whole handshake judges one "now".
public struct TrustedChainPolicy: GatewayTrustPolicy {
    /// At most this many certificates after the leaf are considered; a peer sending more gets them
    /// ignored rather than a chain search over its whole list.
    public static let maximumPresentedIntermediates = 4

    public let trustStore: GatewayTrustStore

    public init(trustStore: GatewayTrustStore) {
        self.trustStore = trustStore
    }

    public func evaluate(_ candidate: GatewayHandshakeCandidate) async -> GatewayTrustPolicyResult {
        let snapshot = trustStore.snapshot
        guard !snapshot.anchors.isEmpty else { return .refused(.untrustedChain) }
        let intermediates = snapshot.intermediateStore.appending(
            contentsOf: candidate.presentedIntermediates.prefix(Self.maximumPresentedIntermediates))
        var verifier = Verifier(rootCertificates: snapshot.anchorStore) {
            RFC5280Policy(fixedExpiryValidationTime: candidate.validationTime)
            ClientAuthenticationPolicy()
        }
        switch await verifier.validate(leaf: candidate.leaf, intermediates: intermediates) {
        case .validCertificate: return .meetsPolicy
        case .couldNotValidate: return .refused(.untrustedChain)
        }
    }
}
