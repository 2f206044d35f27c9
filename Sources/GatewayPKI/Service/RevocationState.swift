import Synchronization

/// The live set of revoked certificate serials: the one place both the TLS verifier (on every handshake)
/// and the API read. A revocation is added here right after its transaction commits, so it applies to
/// the next handshake at once; start-up fills it from storage.
///
/// Reads are a lock and a hash lookup, cheap enough for the handshake path. Observers (the gateway
/// connection registry) hear of each newly revoked serial, so live connections of a revoked
/// certificate are closed as well (DESIGN.md invariant 5).
public final class RevocationState: Sendable {
    /// Called with serials (lower-case hex) that were not revoked before; it must not block.
    public typealias Observer = @Sendable (_ newlyRevokedSerials: [String]) -> Void

    private let revoked = Mutex<Set<String>>([])
    private let observers = Mutex<[Observer]>([])

    public init(revokedSerials: some Sequence<String> = []) {
        revoked.withLock { $0.formUnion(revokedSerials.map { $0.lowercased() }) }
    }

    /// Whether the certificate with this serial (lower-case hex) is revoked.
    public func isRevoked(serial: String) -> Bool {
        revoked.withLock { $0.contains(serial.lowercased()) }
    }

    public func markRevoked(serials: some Sequence<String>) {
        let added = revoked.withLock { set in serials.map { $0.lowercased() }.filter { set.insert($0).inserted } }
        guard !added.isEmpty else { return }
        for observer in observers.withLock({ $0 }) { observer(added) }
    }

    /// Adds an observer for the rest of this state's life.
    public func addObserver(_ observer: @escaping Observer) {
        observers.withLock { $0.append(observer) }
    }

    public var count: Int { revoked.withLock { $0.count } }
}
