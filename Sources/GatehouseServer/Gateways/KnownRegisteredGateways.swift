import LoRaWAN
import Synchronization

/// The gateways this process has seen registered in storage and not seen deleted since: what lets a
/// handshake check registration in memory, on the event loop, instead of in SQLite (0.1 ms, and a
/// hop to a task).
///
/// Only positives are held. An EUI not held is looked up in storage, so a gateway registered by the
/// CLI beside a running server, or by another instance, is found at its first handshake; a "not
/// registered" is never remembered. An EUI is forgotten when the PKI tells of its deletion.
///
/// A remembered EUI can be stale only for a deletion made in another process, until the PKI's
/// follower reads it from the audit log (within a second; `GatewayPKIService.followRevocations`).
/// That is safe for every certificate Gatehouse issued: deleting a gateway revokes its certificates
/// in the same transaction, and the revocation check runs live on every handshake, with
/// revocations made elsewhere followed within the same second. A vendor's certificate is not
/// revoked by a deletion; for it the window is that second, as for any revocation made elsewhere.
///
/// A lookup that raced a deletion must not put the deleted EUI back: ``remember(_:ifNoDeletionSince:)``
/// takes the deletion count read before the lookup began, and drops the answer if any deletion
/// was told since.
final class KnownRegisteredGateways: Sendable {
    private struct State {
        var registered: Set<EUI64> = []
        var deletions: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Whether the EUI is known registered.
    func contains(_ eui: EUI64) -> Bool {
        state.withLock { $0.registered.contains(eui) }
    }

    /// How many deletions were told so far: read it before a storage lookup.
    var deletionCount: UInt64 {
        state.withLock { $0.deletions }
    }

    /// Remembers an EUI storage showed registered, unless a deletion was told after `deletionCount`
    /// was read (the lookup may have read the row before that deletion committed).
    func remember(_ eui: EUI64, ifNoDeletionSince deletionCount: UInt64) {
        state.withLock { state in
            guard state.deletions == deletionCount else { return }
            state.registered.insert(eui)
        }
    }

    /// Forgets a deleted gateway, or one storage no longer holds.
    func forget(_ eui: EUI64) {
        state.withLock { state in
            state.deletions &+= 1
            state.registered.remove(eui)
        }
    }

    var count: Int { state.withLock { $0.registered.count } }
}
