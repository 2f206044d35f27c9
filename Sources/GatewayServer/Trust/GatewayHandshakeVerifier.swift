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
/// Policies are asked first to answer immediately (``GatewayTrustPolicy/evaluateImmediately(_:)``);
/// the verification continues in a task only from the first policy that must wait, so a gateway
/// whose chain was verified before and whose EUI the directory holds in memory is decided on the
/// event loop. The order, and so the refusal reason, is the same either way.
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
        guard let leaf = peerChain.first else { return Self.identity(refuse(.noCertificate, gateway: nil, remoteAddress: remoteAddress)) }
        var serializer = DER.Serializer()
        do { try serializer.serialize(leaf) } catch { return Self.identity(refuse(.malformedCertificate, gateway: nil, remoteAddress: remoteAddress)) }
        let progress = start(leaf: leaf, leafDER: serializer.serializedBytes, intermediates: Array(peerChain.dropFirst()), remoteAddress: remoteAddress)
        return Self.identity(await finish(progress))
    }

    /// Decides on a peer's chain as DER (leaf first), as TLS delivers it. A leaf that
    /// swift-certificates cannot parse because of its key (RSA under 2048 bits, an unknown curve)
    /// is refused as a weak key, anything else unparsable as malformed.
    public func verify(peerChainDER: [[UInt8]], remoteAddress: String?) async -> Result<GatewayIdentity, GatewayHandshakeRefusal> {
        Self.identity(await finish(start(peerChainDER: peerChainDER, remoteAddress: remoteAddress)))
    }

    /// Decides on a peer's chain as DER without waiting, when every policy can answer immediately
    /// (``GatewayTrustPolicy/evaluateImmediately(_:)``); logs and counts the decision as
    /// ``verify(peerChainDER:remoteAddress:)`` does. `nil` when some policy must wait: nothing is
    /// logged or counted then, and the caller asks ``verify(peerChainDER:remoteAddress:)``.
    public func verifyImmediately(peerChainDER: [[UInt8]], remoteAddress: String?) -> Result<GatewayIdentity, GatewayHandshakeRefusal>? {
        guard case .decided(let decision) = start(peerChainDER: peerChainDER, remoteAddress: remoteAddress) else { return nil }
        return Self.identity(decision)
    }

    /// What the verifier decided, already logged and counted. An admission keeps its candidate: the
    /// TLS callback needs no more, and a caller that wants the ``GatewayIdentity`` reads it from there.
    enum Decision: Sendable {
        case admitted(GatewayHandshakeCandidate, gateway: EUI64)
        case refused(GatewayHandshakeRefusal)
    }

    /// A verification taken as far as it goes without waiting.
    enum Progress: Sendable {
        case decided(Decision)
        /// Every policy before `next` met the candidate; `policies[next]` must wait.
        case waiting(PendingVerification)
    }

    struct PendingVerification: Sendable {
        let candidate: GatewayHandshakeCandidate
        let remoteAddress: String?
        let next: Int
    }

    func start(peerChainDER: [[UInt8]], remoteAddress: String?) -> Progress {
        guard let leafDER = peerChainDER.first else { return .decided(refuse(.noCertificate, gateway: nil, remoteAddress: remoteAddress)) }
        guard let leaf = try? Certificate(derEncoded: leafDER) else {
            if let algorithm = SubjectPublicKeyAlgorithm(certificateDER: leafDER), !ClientKeyPolicy.accepts(algorithm) {
                return .decided(refuse(.weakKey(algorithm), gateway: nil, remoteAddress: remoteAddress))
            }
            return .decided(refuse(.malformedCertificate, gateway: nil, remoteAddress: remoteAddress))
        }
        // Intermediates are only hints for chain building; one that does not parse cannot be in a chain.
        let intermediates = peerChainDER.dropFirst().compactMap { try? Certificate(derEncoded: $0) }
        return start(leaf: leaf, leafDER: leafDER, intermediates: intermediates, remoteAddress: remoteAddress)
    }

    /// Runs the policies in order while each answers immediately; the first refusal decides.
    private func start(leaf: Certificate, leafDER: [UInt8], intermediates: [Certificate], remoteAddress: String?) -> Progress {
        let candidate = GatewayHandshakeCandidate(
            leaf: leaf, presentedIntermediates: intermediates, leafKeyAlgorithm: GatewayHandshakeCandidate.keyAlgorithm(of: leaf.publicKey),
            validationTime: clock(), leafDER: leafDER)
        for index in policies.indices {
            guard let result = policies[index].evaluateImmediately(candidate) else {
                return .waiting(PendingVerification(candidate: candidate, remoteAddress: remoteAddress, next: index))
            }
            if case .refused(let refusal) = result { return .decided(refuse(refusal, gateway: candidate.namedGateway, remoteAddress: remoteAddress)) }
        }
        return .decided(admit(candidate, remoteAddress: remoteAddress))
    }

    func finish(_ progress: Progress) async -> Decision {
        switch progress {
        case .decided(let decision): decision
        case .waiting(let pending): await resume(pending)
        }
    }

    /// Runs the policies from the first that must wait, in the same order; a later one that can
    /// answer immediately still does.
    private func resume(_ pending: PendingVerification) async -> Decision {
        let candidate = pending.candidate
        for index in pending.next..<policies.count {
            let policy = policies[index]
            let immediate = index == pending.next ? nil : policy.evaluateImmediately(candidate)
            let result = if let immediate { immediate } else { await policy.evaluate(candidate) }
            if case .refused(let refusal) = result { return refuse(refusal, gateway: candidate.namedGateway, remoteAddress: pending.remoteAddress) }
        }
        return admit(candidate, remoteAddress: pending.remoteAddress)
    }

    /// Every policy met the candidate. A composition without ``GatewaySubjectPolicy`` may get here
    /// with a leaf that names no gateway: that is still refused, since an identity needs an EUI.
    private func admit(_ candidate: GatewayHandshakeCandidate, remoteAddress: String?) -> Decision {
        let eui: EUI64
        switch candidate.gatewayEUI {
        case .success(let named): eui = named
        case .failure(let refusal): return refuse(refusal, gateway: nil, remoteAddress: remoteAddress)
        }
        reporter.admitted(gateway: eui, serial: CertificateEncoding.serialHex(candidate.leaf.serialNumber), remoteAddress: remoteAddress)
        return .admitted(candidate, gateway: eui)
    }

    private func refuse(_ refusal: GatewayHandshakeRefusal, gateway: EUI64?, remoteAddress: String?) -> Decision {
        reporter.refused(refusal, gateway: gateway, remoteAddress: remoteAddress)
        return .refused(refusal)
    }

    private static func identity(_ decision: Decision) -> Result<GatewayIdentity, GatewayHandshakeRefusal> {
        switch decision {
        case .admitted(let candidate, let eui): .success(GatewayIdentity(eui: eui, certificate: candidate.leaf, leafDigest: candidate.leafDigest))
        case .refused(let refusal): .failure(refusal)
        }
    }

    // MARK: swift-nio-ssl

    /// The callback for one connection's `NIOSSLServerHandler`. It replaces BoringSSL's own chain
    /// verification entirely (swift-nio-ssl `SSL_set_custom_verify`); BoringSSL still refuses a
    /// client without a certificate before calling it, because ``GatewayTLSPolicy`` sets
    /// `certificateVerification` to `.noHostnameVerification` (`SSL_VERIFY_FAIL_IF_NO_PEER_CERT`).
    ///
    /// When every policy answers immediately (a gateway seen before: its chain verified, its EUI
    /// known registered), the promise is completed right here on the event loop: no task, no hop to
    /// the cooperative pool and back (measured at 0.15 ms and several context switches per
    /// handshake). swift-nio-ssl resumes the handshake on the next tick of the same loop. Otherwise
    /// the rest of the decision runs in a task (a chain never seen, or a directory lookup in storage).
    /// - Parameter remoteAddress: the peer, for the log line (`channel.remoteAddress?.description`).
    public func verificationCallback(remoteAddress: String?) -> NIOSSLCustomVerificationCallbackWithMetadata {
        { [self] certificates, promise in
            // An unreadable certificate becomes empty bytes: refused as malformed, never skipped.
            let chain = certificates.map { (try? $0.toDERBytes()) ?? [] }
            switch self.start(peerChainDER: chain, remoteAddress: remoteAddress) {
            case .decided(let decision):
                promise.succeed(Self.verification(decision))
            case .waiting(let pending):
                promise.completeWithTask { Self.verification(await self.resume(pending)) }
            }
        }
    }

    private static func verification(_ decision: Decision) -> NIOSSLVerificationResultWithMetadata {
        switch decision {
        case .admitted: .certificateVerified(VerificationMetadata(nil))
        case .refused: .failed
        }
    }

    /// The TLS handler for one accepted gateway connection, running this verifier in its handshake.
    public func makeServerHandler(context: NIOSSLContext, remoteAddress: String?) -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context, customVerificationCallbackWithMetadata: verificationCallback(remoteAddress: remoteAddress))
    }
}
