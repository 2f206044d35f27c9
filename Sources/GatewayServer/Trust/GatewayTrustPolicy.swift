import Crypto
import Foundation
import GatewayPKI
import LoRaWAN
import SwiftASN1
import X509

/// One rule a gateway's client certificate must meet for its TLS handshake to complete.
///
/// This mirrors swift-certificates' `VerifierPolicy` (a small value answering "meets policy" or
/// "fails, because ..."), but the failure is a typed ``GatewayHandshakeRefusal`` rather than a
/// string: the reason becomes a metrics label, and `Verifier` only reports a list of string
/// failures per candidate chain, from which the rule that failed cannot be recovered.
/// swift-certificates still does the chain work: ``TrustedChainPolicy`` runs its `Verifier` with
/// `RFC5280Policy`. ``GatewayHandshakeVerifier`` composes the policies, in one place and order.
///
/// A policy has two ways to answer. ``evaluate(_:)`` may wait (a storage lookup, swift-certificates'
/// async `Verifier`). ``evaluateImmediately(_:)`` answers without suspending when the policy can
/// (a pure check, or a fact it holds in memory) and returns `nil` when it must wait: when every
/// policy answers immediately, the verifier decides inside the TLS callback on the event loop,
/// with no task and no hop to another thread (see ``GatewayHandshakeVerifier``). Both must give the
/// same decision whenever the immediate one gives any.
public protocol GatewayTrustPolicy: Sendable {
    /// The decision, made without suspending, or `nil` when only ``evaluate(_:)`` can make it.
    func evaluateImmediately(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult?

    /// The decision, waiting for whatever it needs.
    func evaluate(_ candidate: GatewayHandshakeCandidate) async -> GatewayTrustPolicyResult
}

extension GatewayTrustPolicy {
    /// By default a policy must wait: a policy written before the fast path keeps working, on the
    /// task path.
    public func evaluateImmediately(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult? { nil }
}

/// What a ``GatewayTrustPolicy`` decided.
public enum GatewayTrustPolicyResult: Sendable, Hashable {
    case meetsPolicy
    case refused(GatewayHandshakeRefusal)
}

/// A client certificate chain under evaluation: the parsed leaf, the certificates the peer sent
/// after it, the leaf's key algorithm and the one time every policy judges against.
public struct GatewayHandshakeCandidate: Sendable {
    public let leaf: Certificate
    /// What the peer sent after the leaf: hints for chain building, never trusted by themselves.
    public let presentedIntermediates: [Certificate]
    public let leafKeyAlgorithm: SubjectPublicKeyAlgorithm
    /// "Now", read once from the verifier's clock.
    public let validationTime: Date
    /// SHA-256 of the leaf's DER: names exactly this certificate (``VerifiedChainCache`` keys on it,
    /// and it is the admitted identity's fingerprint).
    public let leafDigest: SHA256Digest
    /// The gateway the leaf names (``GatewayIdentity/gatewayEUI(of:)``), read once for every policy
    /// and the log line that want it.
    public let gatewayEUI: Result<EUI64, GatewayHandshakeRefusal>

    /// - Parameter leafDER: the leaf as the peer sent it; when `nil`, the leaf is serialised again
    ///   (DER is canonical, so the bytes and their digest are the same).
    public init(
        leaf: Certificate, presentedIntermediates: [Certificate], leafKeyAlgorithm: SubjectPublicKeyAlgorithm, validationTime: Date,
        leafDER: [UInt8]? = nil
    ) {
        self.leaf = leaf
        self.presentedIntermediates = presentedIntermediates
        self.leafKeyAlgorithm = leafKeyAlgorithm
        self.validationTime = validationTime
        gatewayEUI = GatewayIdentity.gatewayEUI(of: leaf)
        if let leafDER {
            leafDigest = SHA256.hash(data: leafDER)
        } else {
            var serializer = DER.Serializer()
            try? serializer.serialize(leaf)
            leafDigest = SHA256.hash(data: serializer.serializedBytes)
        }
    }

    /// The EUI the leaf names, for a log line; `nil` when it names none.
    var namedGateway: EUI64? { try? gatewayEUI.get() }

    /// The algorithm of a leaf's key, as ``SubjectPublicKeyAlgorithm/init(publicKey:)`` reads it, but
    /// without encoding and parsing the key again for the curves gateways use (P-256, P-384).
    public static func keyAlgorithm(of key: Certificate.PublicKey) -> SubjectPublicKeyAlgorithm {
        if P256.Signing.PublicKey(key) != nil { return .ecdsa(.p256) }
        if P384.Signing.PublicKey(key) != nil { return .ecdsa(.p384) }
        return SubjectPublicKeyAlgorithm(publicKey: key)
    }
}
