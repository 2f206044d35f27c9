import Synchronization

/// The live set of revoked certificate serials: the one place both the TLS verifier (on every handshake)
/// and the API read. A revocation is added here right after its transaction commits, so it applies to
/// the next handshake at once; start-up fills it from storage.
///
/// Reads are a lock and a hash lookup, cheap enough for the handshake path.
public final class RevocationState: Sendable {
    private let revoked = Mutex<Set<String>>([])

    public init(revokedSerials: some Sequence<String> = []) {
        revoked.withLock { $0.formUnion(revokedSerials.map { $0.lowercased() }) }
    }

    /// Whether the certificate with this serial (lower-case hex) is revoked.
    public func isRevoked(serial: String) -> Bool {
        revoked.withLock { $0.contains(serial.lowercased()) }
    }

    public func markRevoked(serials: some Sequence<String>) {
        revoked.withLock { $0.formUnion(serials.map { $0.lowercased() }) }
    }

    public var count: Int { revoked.withLock { $0.count } }
}
