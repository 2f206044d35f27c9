import Foundation
import GatewayPKI
import Logging
import LoRaWAN
import Metrics
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The trust decision of the gateway TLS listeners (CUPS and LNS): runs inside the handshake, via
/// swift-nio-ssl's custom verification callback, so a refused gateway never reaches HTTP.
///
/// The checks are small ``GatewayTrustPolicy`` values, composed here in one order
/// (``standardPolicies(trustStore:directory:revocation:)``); the first that fails names the
/// refusal. The order puts the leaf's own facts first (validity, key, extended key usage, subject),
/// because they are cheap and precise, then the chain (signature work), the live revocation set,
/// and last the gateway directory, the only check that may wait on storage.
///
/// Every decision is logged and counted by ``reporter``.
public final class GatewayHandshakeVerifier: Sendable {
    public let policies: [any GatewayTrustPolicy]
    public let reporter: GatewayHandshakeReporter
    private let clock: @Sendable () -> Date

    /// The verifier the gateway listeners use.
    /// - Parameters:
    ///   - trustStore: the CAs in force; replace its snapshot when they change.
    ///   - directory: whether an EUI is a registered gateway.
    ///   - revocation: the PKI's live revocation set (`GatewayPKIService.revocation`).
    ///   - clock: the one clock (DESIGN.md: injected, never read ad hoc).
    public convenience init(
        trustStore: GatewayTrustStore, directory: any GatewayDirectory, revocation: RevocationState,
        clock: @escaping @Sendable () -> Date = Date.init, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.init(
            policies: Self.standardPolicies(trustStore: trustStore, directory: directory, revocation: revocation), clock: clock,
            reporter: GatewayHandshakeReporter(logger: logger, metricsFactory: metricsFactory))
    }

    /// A verifier over any composition of policies, run in the given order.
    public init(policies: [any GatewayTrustPolicy], clock: @escaping @Sendable () -> Date, reporter: GatewayHandshakeReporter) {
        self.policies = policies
        self.clock = clock
        self.reporter = reporter
    }

    /// The gateway checks, in the order they run. The no-certificate and malformed-certificate
    /// refusals come before any policy: there is no leaf to give them.
    public static func standardPolicies(
        trustStore: GatewayTrustStore, directory: any GatewayDirectory, revocation: RevocationState
    ) -> [any GatewayTrustPolicy] {
        [
            LeafValidityPolicy(),
            ClientKeyPolicy(),
            ClientAuthenticationPolicy(),
            GatewaySubjectPolicy(),
            TrustedChainPolicy(trustStore: trustStore),
            RevocationPolicy(revocation: revocation),
            RegisteredGatewayPolicy(directory: directory),
        ]
    }

    // MARK: Decisions

    /// Decides on a peer's chain (leaf first), logs and counts the decision.
    public func verify(peerChain: [Certificate], remoteAddress: String?) async -> Result<GatewayIdentity, GatewayHandshakeRefusal> {
        guard let leaf = peerChain.first else { return refuse(.noCertificate, gateway: nil, remoteAddress: remoteAddress) }
        var serializer = DER.Serializer()
        do { try serializer.serialize(leaf) } catch { return refuse(.malformedCertificate, gateway: nil, remoteAddress: remoteAddress) }
        return await verify(leaf: leaf, leafDER: serializer.serializedBytes, intermediates: Array(peerChain.dropFirst()), remoteAddress: remoteAddress)
    }

    /// Decides on a peer's chain as DER (leaf first), as TLS delivers it. A leaf that
    /// swift-certificates cannot parse because of its key (RSA under 2048 bits, an unknown curve)
    /// is refused as a weak key, anything else unparsable as malformed.
    public func verify(peerChainDER: [[UInt8]], remoteAddress: String?) async -> Result<GatewayIdentity, GatewayHandshakeRefusal> {
        guard let leafDER = peerChainDER.first else { return refuse(.noCertificate, gateway: nil, remoteAddress: remoteAddress) }
        guard let leaf = try? Certificate(derEncoded: leafDER) else {
            if let algorithm = SubjectPublicKeyAlgorithm(certificateDER: leafDER), !ClientKeyPolicy.accepts(algorithm) {
                return refuse(.weakKey(algorithm), gateway: nil, remoteAddress: remoteAddress)
            }
            return refuse(.malformedCertificate, gateway: nil, remoteAddress: remoteAddress)
        }
        // Intermediates are only hints for chain building; one that does not parse cannot be in a chain.
        let intermediates = peerChainDER.dropFirst().compactMap { try? Certificate(derEncoded: $0) }
        return await verify(leaf: leaf, leafDER: leafDER, intermediates: intermediates, remoteAddress: remoteAddress)
    }

    private func verify(leaf: Certificate, leafDER: [UInt8], intermediates: [Certificate], remoteAddress: String?) async -> Result<GatewayIdentity, GatewayHandshakeRefusal> {
        let algorithm = SubjectPublicKeyAlgorithm(publicKey: leaf.publicKey)
        let candidate = GatewayHandshakeCandidate(
            leaf: leaf, presentedIntermediates: intermediates, leafKeyAlgorithm: algorithm, validationTime: clock())
        let named = try? GatewayIdentity.gatewayEUI(of: leaf).get()
        for policy in policies {
            if case .refused(let refusal) = await policy.evaluate(candidate) {
                return refuse(refusal, gateway: named, remoteAddress: remoteAddress)
            }
        }
        let identity: GatewayIdentity
        do { identity = try GatewayIdentity(certificate: leaf, der: leafDER) } catch {
            return refuse(error, gateway: named, remoteAddress: remoteAddress)
        }
        reporter.admitted(identity, remoteAddress: remoteAddress)
        return .success(identity)
    }

    private func refuse(_ refusal: GatewayHandshakeRefusal, gateway: EUI64?, remoteAddress: String?) -> Result<GatewayIdentity, GatewayHandshakeRefusal> {
        reporter.refused(refusal, gateway: gateway, remoteAddress: remoteAddress)
        return .failure(refusal)
    }

    // MARK: swift-nio-ssl

    /// The callback for one connection's `NIOSSLServerHandler`. It replaces BoringSSL's own chain
    /// verification entirely (swift-nio-ssl `SSL_set_custom_verify`); BoringSSL still refuses a
    /// client without a certificate before calling it, because ``GatewayTLSPolicy`` sets
    /// `certificateVerification` to `.noHostnameVerification` (`SSL_VERIFY_FAIL_IF_NO_PEER_CERT`).
    ///
    /// The decision runs in a task off the event loop (the directory may wait on storage); the
    /// handshake resumes when the promise completes.
    /// - Parameter remoteAddress: the peer, for the log line (`channel.remoteAddress?.description`).
    public func verificationCallback(remoteAddress: String?) -> NIOSSLCustomVerificationCallbackWithMetadata {
        { [self] certificates, promise in
            // An unreadable certificate becomes empty bytes: refused as malformed, never skipped.
            let chain = certificates.map { (try? $0.toDERBytes()) ?? [] }
            promise.completeWithTask {
                switch await self.verify(peerChainDER: chain, remoteAddress: remoteAddress) {
                case .success: .certificateVerified(VerificationMetadata(nil))
                case .failure: .failed
                }
            }
        }
    }

    /// The TLS handler for one accepted gateway connection, running this verifier in its handshake.
    public func makeServerHandler(context: NIOSSLContext, remoteAddress: String?) -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context, customVerificationCallbackWithMetadata: verificationCallback(remoteAddress: remoteAddress))
    }
}
