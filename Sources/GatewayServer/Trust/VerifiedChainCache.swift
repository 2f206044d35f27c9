import Crypto
import Foundation
import Synchronization
import X509

/// Chains that swift-certificates' `Verifier` has already found valid, so a gateway that connects
/// again is not put through chain building and signature checks again (measured at 0.18 ms of a
/// 0.5 ms verification, the largest share).
///
/// What is remembered is exactly what `RFC5280Policy` and ``ClientAuthenticationPolicy`` decided
/// without regard to time: signatures, basic constraints, path length, name constraints, key
/// usage, extended key usage and critical extensions of the chain from this leaf to an anchor of
/// one trust-store snapshot. Everything that can change is checked on every handshake:
///
/// - Time: an entry holds the window in which every certificate of the verified chain is valid
///   (the latest notBefore to the earliest notAfter, bounds included as `RFC5280Policy` has them),
///   and answers only for a validation time inside it. An expired or not-yet-valid leaf, or a CA of
///   the chain expiring before its leaf, is never let through; the entry simply stops answering.
/// - Trust: entries are for one ``GatewayTrustStore/Snapshot/version``. A snapshot of another
///   version neither reads nor keeps them, so trusting or removing a CA applies to the next handshake.
/// - The chain the peer presented: when the verified chain runs through a certificate the peer sent
///   (not one of the snapshot's), the entry answers only for a peer that sends it again.
/// - Revocation and registration are not chain facts: their policies run live on every handshake.
///
/// Only positive results are kept, so a refused chain costs the full check every time, as before.
/// Memory is bounded by ``maximumEntries`` (an entry is about 100 bytes); when full, expired entries
/// are dropped, and if that frees nothing, all of them (the next handshakes rebuild what they need).
public final class VerifiedChainCache: Sendable {
    /// More than the largest fleet one listener is expected to hold (10,000 stations); about 3 MiB.
    public static let maximumEntries = 32_768

    private struct Entry {
        let validFrom: Date
        let validUntil: Date
        /// Certificates the peer presented that the verified chain runs through; usually none.
        let presented: [Certificate]
    }

    private struct State {
        var version: UInt64 = 0
        var entries: [SHA256Digest: Entry] = [:]
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(maximumEntries: Int = VerifiedChainCache.maximumEntries) {
        capacity = max(1, maximumEntries)
    }

    /// Whether this leaf's chain was verified under `snapshotVersion` and every certificate of it is
    /// valid at the candidate's time, with any presented certificate it needs presented again.
    public func contains(_ candidate: GatewayHandshakeCandidate, snapshotVersion: UInt64) -> Bool {
        state.withLock { state in
            guard state.version == snapshotVersion, let entry = state.entries[candidate.leafDigest] else { return false }
            let time = candidate.validationTime
            guard entry.validFrom <= time, time <= entry.validUntil else { return false }
            return entry.presented.allSatisfy { needed in
                candidate.presentedIntermediates.prefix(TrustedChainPolicy.maximumPresentedIntermediates).contains(needed)
            }
        }
    }

    /// Remembers the chain the `Verifier` validated for this candidate (leaf first, anchor last).
    /// A result for an older snapshot than the newest seen is dropped; a newer one clears the rest.
    public func remember(_ chain: [Certificate], for candidate: GatewayHandshakeCandidate, snapshot: GatewayTrustStore.Snapshot) {
        guard let validFrom = chain.map(\.notValidBefore).max(), let validUntil = chain.map(\.notValidAfter).min() else { return }
        let presented = chain.dropFirst().filter { !snapshot.anchors.contains($0) && !snapshot.intermediates.contains($0) }
        let entry = Entry(validFrom: validFrom, validUntil: validUntil, presented: presented)
        state.withLock { state in
            if snapshot.version > state.version {
                state = State(version: snapshot.version)
            }
            guard snapshot.version == state.version else { return }
            if state.entries[candidate.leafDigest] == nil, state.entries.count >= capacity {
                let now = candidate.validationTime
                state.entries = state.entries.filter { $0.value.validUntil >= now }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[candidate.leafDigest] = entry
        }
    }

    /// How many chains are remembered now.
    public var count: Int { state.withLock { $0.entries.count } }
}
