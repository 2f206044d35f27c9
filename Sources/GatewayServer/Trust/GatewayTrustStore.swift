import SwiftASN1
import GatewayPKI
import Synchronization
import X509

/// The CA certificates a gateway certificate may chain to, as a snapshot that the server replaces
/// when an operator trusts or removes a vendor CA, or initialises or imports a CA.
///
/// The snapshot lives outside the `TLSConfiguration` on purpose: a `NIOSSLContext` is built once,
/// while trust changes at run time. Every handshake reads the current snapshot (a lock and a copy
/// of a reference), so a change applies to the next handshake.
public final class GatewayTrustStore: Sendable {
    private let current: Mutex<Snapshot>

    public init(_ snapshot: Snapshot = .empty) {
        current = Mutex(snapshot)
    }

    /// A store holding the CAs of these records (see ``Snapshot/init(authorities:)``).
    public convenience init(authorities: [AuthorityRecord]) {
        self.init(Snapshot(authorities: authorities))
    }

    /// The trust in force now.
    public var snapshot: Snapshot { current.withLock { $0 } }

    /// Replaces the trust in force; handshakes already past their chain check are not affected.
    public func replace(with snapshot: Snapshot) {
        current.withLock { $0 = snapshot }
    }

    /// Replaces the trust with the CAs of these records, e.g. after `GatewayPKIService.trustVendorAuthority`.
    public func replace(authorities: [AuthorityRecord]) {
        replace(with: Snapshot(authorities: authorities))
    }
}

extension GatewayTrustStore {
    /// Trust anchors (chains end here) and intermediates (chains may pass through here).
    public struct Snapshot: Sendable {
        public let anchors: [Certificate]
        public let intermediates: [Certificate]
        /// Names this snapshot among every snapshot the process made, in the order they were made: a
        /// fact learnt under one version (a verified chain, ``VerifiedChainCache``) is never used under
        /// another, so a trust change invalidates it by construction.
        public let version: UInt64
        let anchorStore: CertificateStore
        let intermediateStore: CertificateStore

        public static let empty = Snapshot(anchors: [], intermediates: [])

        private static let versions = Atomic<UInt64>(0)

        public init(anchors: [Certificate], intermediates: [Certificate]) {
            self.anchors = anchors
            self.intermediates = intermediates
            version = Self.versions.add(1, ordering: .relaxed).newValue
            anchorStore = CertificateStore(anchors)
            intermediateStore = CertificateStore(intermediates)
        }

        /// Sorts CA certificates (`GatewayPKIService.trustedAuthorityCertificates()`) into anchors
        /// and intermediates: a certificate signed by another one of the set is an intermediate,
        /// every other one an anchor.
        ///
        /// So our root is an anchor and our issuing CA an intermediate under it, which matters
        /// because a gateway may send only its leaf (`curl --cert gateway.crt`, and many Basics
        /// Station set-ups). An imported issuing CA whose root Gatehouse does not hold, and a vendor
        /// CA that is itself a subordinate of a root we were not given, are anchors: the operator
        /// trusted exactly that certificate.
        public init(authorityCertificates certificates: [Certificate]) {
            var anchors: [Certificate] = []
            var intermediates: [Certificate] = []
            for certificate in certificates {
                let hasIssuerInSet = certificates.contains { candidate in
                    candidate != certificate && candidate.subject == certificate.issuer
                        && candidate.publicKey.isValidSignature(certificate.signature, for: certificate)
                }
                if hasIssuerInSet { intermediates.append(certificate) } else { anchors.append(certificate) }
            }
            self.init(anchors: anchors, intermediates: intermediates)
        }

        /// The CAs of the PKI's authority records (roots, issuing CAs, vendor CAs); a record whose
        /// certificate does not parse is left out (the PKI validated each on import).
        public init(authorities: [AuthorityRecord]) {
            self.init(authorityCertificates: authorities.compactMap { try? Certificate(derEncoded: $0.certificateDER) })
        }
    }
}
