import BackendInterfaces
import Foundation
import JoinServer
import LoRaWAN
import SQLKit

/// Manufacturer master keys and the KEKs shared with peers, each sealed under the key-encryption key
/// and bound to its name or peer. Changes append their audit event to the device audit log in the same
/// transaction; removing what does not exist appends nothing.
public struct SQLJoinKeyRepository: JoinKeyRepository {
    /// An arbitrary constant naming the master-key lock among PostgreSQL advisory locks: the overlap
    /// check reads the other ranges, so two instances adding overlapping ranges at once must take turns.
    private static let masterKeyLock: Int64 = 0x6A6F_696E_6D6B_6579  // "joinmkey"

    let engine: any DatabaseEngine
    let sealer: SecretSealer

    /// Replaces every field of a key with the same name (its creation time too). JoinEUIs are compared
    /// as fixed-width upper-case hex, whose text order is their numeric order.
    public func putMasterKey(_ record: MasterKeyRecord, audit: DeviceAuditEvent) async throws -> MasterKeyOutcome {
        let sealed = try sealer.seal(record.key.exportBytes(), for: SealedColumn.masterKey.binding(row: record.name))
        let first = record.joinEUIs.lowerBound.description
        let last = record.joinEUIs.upperBound.description
        return try await engine.transaction { sql in
            if engine.flavor == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.masterKeyLock))").run()
            }
            if let overlapping = try await sql.raw("""
                SELECT name FROM join_master_keys
                WHERE name <> \(bind: record.name) AND join_eui_first <= \(bind: last) AND join_eui_last >= \(bind: first)
                ORDER BY join_eui_first LIMIT 1
                """).first() {
                return .overlapping(try overlapping.text("name", table: "join_master_keys"))
            }
            try await sql.raw("""
                INSERT INTO join_master_keys (name, join_eui_first, join_eui_last, key_sealed, key_kek_id, created_at) VALUES (
                    \(bind: record.name), \(bind: first), \(bind: last), \(bind: Data(sealed.box)), \(bind: sealed.keyID),
                    \(bind: StoredTime.microseconds(record.createdAt)))
                ON CONFLICT (name) DO UPDATE SET join_eui_first = excluded.join_eui_first, join_eui_last = excluded.join_eui_last,
                    key_sealed = excluded.key_sealed, key_kek_id = excluded.key_kek_id, created_at = excluded.created_at
                """).run()
            try await DeviceAuditEventRows.append([audit], on: sql)
            return .stored
        }
    }

    public func removeMasterKey(named name: String, audit: DeviceAuditEvent) async throws -> Bool {
        try await engine.transaction { sql in
            guard try await sql.raw("DELETE FROM join_master_keys WHERE name = \(bind: name) RETURNING name").first() != nil else { return false }
            try await DeviceAuditEventRows.append([audit], on: sql)
            return true
        }
    }

    /// In JoinEUI order.
    public func masterKeys() async throws -> [MasterKeyRecord] {
        let table = "join_master_keys"
        let rows = try await engine.read { sql in
            try await sql.raw("""
                SELECT name, join_eui_first, join_eui_last, key_sealed, key_kek_id, created_at FROM join_master_keys ORDER BY join_eui_first
                """).all().map { row in
                    (
                        name: try row.text("name", table: table),
                        first: try row.eui("join_eui_first", table: table),
                        last: try row.eui("join_eui_last", table: table),
                        sealed: SealedSecret(keyID: try row.text("key_kek_id", table: table), box: try row.bytes("key_sealed", table: table)),
                        createdAt: try row.time("created_at", table: table)
                    )
                }
        }
        return try rows.map { row in
            guard row.first <= row.last else {
                throw StorageError.malformedRow(table: table, column: "join_eui_last", reason: "the range ends before it starts")
            }
            guard let key = MasterKey(bytes: try sealer.open(row.sealed, for: SealedColumn.masterKey.binding(row: row.name))) else {
                throw StorageError.malformedRow(table: table, column: "key_sealed", reason: "not a 16-byte key")
            }
            return MasterKeyRecord(name: row.name, joinEUIs: row.first...row.last, key: key, createdAt: row.createdAt)
        }
    }

    public func putPeerKEK(_ record: PeerKEKRecord, audit: DeviceAuditEvent) async throws {
        let peer = record.peer.description
        let sealed = try sealer.seal(record.kek.exportBytes(), for: SealedColumn.peerKEK.binding(row: peer))
        try await engine.transaction { sql in
            try await sql.raw("""
                INSERT INTO join_peer_keks (peer, kek_label, key_sealed, key_kek_id, created_at) VALUES (
                    \(bind: peer), \(bind: record.kek.label), \(bind: Data(sealed.box)), \(bind: sealed.keyID),
                    \(bind: StoredTime.microseconds(record.createdAt)))
                ON CONFLICT (peer) DO UPDATE SET kek_label = excluded.kek_label, key_sealed = excluded.key_sealed,
                    key_kek_id = excluded.key_kek_id, created_at = excluded.created_at
                """).run()
            try await DeviceAuditEventRows.append([audit], on: sql)
        }
    }

    public func removePeerKEK(_ peer: BackendPeer, audit: DeviceAuditEvent) async throws -> Bool {
        try await engine.transaction { sql in
            guard try await sql.raw("DELETE FROM join_peer_keks WHERE peer = \(bind: peer.description) RETURNING peer").first() != nil else {
                return false
            }
            try await DeviceAuditEventRows.append([audit], on: sql)
            return true
        }
    }

    /// In order of the peer's text (`as:...` before `ns:...`).
    public func peerKEKs() async throws -> [PeerKEKRecord] {
        let table = "join_peer_keks"
        let rows = try await engine.read { sql in
            try await sql.raw("SELECT peer, kek_label, key_sealed, key_kek_id, created_at FROM join_peer_keks ORDER BY peer").all().map { row in
                (
                    peer: try row.text("peer", table: table),
                    label: try row.text("kek_label", table: table),
                    sealed: SealedSecret(keyID: try row.text("key_kek_id", table: table), box: try row.bytes("key_sealed", table: table)),
                    createdAt: try row.time("created_at", table: table)
                )
            }
        }
        return try rows.map { row in
            guard let peer = BackendPeer(row.peer) else {
                throw StorageError.malformedRow(table: table, column: "peer", reason: "not ns:<NetID> or as:<AS-ID>")
            }
            guard let kek = LabeledKEK(label: row.label, bytes: try sealer.open(row.sealed, for: SealedColumn.peerKEK.binding(row: row.peer))) else {
                throw StorageError.malformedRow(table: table, column: "key_sealed", reason: "not a 16-byte key with a label")
            }
            return PeerKEKRecord(peer: peer, kek: kek, createdAt: row.createdAt)
        }
    }
}
