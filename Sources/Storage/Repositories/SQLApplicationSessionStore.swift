import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit

/// The Application Server's sessions on SQLite or PostgreSQL: each device's latest two, with the
/// AppSKey stored only sealed under the key-encryption key, bound to the session's row, and opened
/// when read (DESIGN.md invariant 2).
///
/// The uplink path, ``session(devEUI:sessionKeyID:)``, is one primary-key lookup on a reader.
public struct SQLApplicationSessionStore: ApplicationSessionStore {
    /// An arbitrary constant naming the session locks among PostgreSQL's two-key advisory locks (the
    /// second key is the DevEUI's): two instances storing sessions of one device take turns, so each
    /// sees the other's session when it numbers its own and drops all but the latest two.
    private static let sessionLockSpace: Int32 = 0x6173_736E  // "assn"

    let engine: any DatabaseEngine
    let sealer: SecretSealer

    public func store(_ session: ApplicationSession) async throws {
        let id = ApplicationSessionRows.id(devEUI: session.devEUI, sessionKeyID: session.sessionKeyID)
        let sealed = try ApplicationSessionRows.seal(session, id: id, with: sealer)
        let devEUI = session.devEUI.description
        try await engine.transaction { sql in
            if engine.flavor == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.sessionLockSpace), \(bind: Self.lockKey(session.devEUI)))").run()
            }
            // A session stored again (same SessionKeyID) is replaced and becomes the latest.
            try await sql.raw("""
                INSERT INTO application_sessions (\(ApplicationSessionRows.columns), stored_seq) VALUES (
                    \(bind: id), \(bind: devEUI), \(bind: Data(session.sessionKeyID)), \(bind: Int64(session.devAddr.rawValue)),
                    \(bind: Data(sealed.box)), \(bind: sealed.keyID), \(bind: StoredTime.microseconds(session.createdAt)),
                    \(bind: Int64(session.isABP ? 1 : 0)),
                    (SELECT COALESCE(MAX(stored_seq), 0) + 1 FROM application_sessions WHERE dev_eui = \(bind: devEUI)))
                ON CONFLICT (id) DO UPDATE SET dev_addr = excluded.dev_addr, app_s_key_sealed = excluded.app_s_key_sealed,
                    app_s_key_kek_id = excluded.app_s_key_kek_id, created_at = excluded.created_at, abp = excluded.abp,
                    stored_seq = excluded.stored_seq
                """).run()
            try await sql.raw("""
                DELETE FROM application_sessions WHERE dev_eui = \(bind: devEUI) AND id NOT IN (
                    SELECT id FROM application_sessions WHERE dev_eui = \(bind: devEUI) ORDER BY stored_seq DESC LIMIT 2)
                """).run()
        }
    }

    public func session(devEUI: EUI64, sessionKeyID: [UInt8]) async throws -> ApplicationSession? {
        let id = ApplicationSessionRows.id(devEUI: devEUI, sessionKeyID: sessionKeyID)
        let stored = try await engine.read { sql in
            try await sql.raw("SELECT \(ApplicationSessionRows.columns) FROM application_sessions WHERE id = \(bind: id)")
                .first().map(ApplicationSessionRows.Stored.init)
        }
        return try stored?.record(opening: sealer)
    }

    public func latestSession(devEUI: EUI64) async throws -> ApplicationSession? {
        let stored = try await engine.read { sql in
            try await sql.raw("""
                SELECT \(ApplicationSessionRows.columns) FROM application_sessions WHERE dev_eui = \(bind: devEUI.description)
                ORDER BY stored_seq DESC LIMIT 1
                """).first().map(ApplicationSessionRows.Stored.init)
        }
        return try stored?.record(opening: sealer)
    }

    public func deleteSessions(devEUI: EUI64) async throws {
        try await engine.transaction { sql in
            try await sql.raw("DELETE FROM application_sessions WHERE dev_eui = \(bind: devEUI.description)").run()
        }
    }

    /// The DevEUI folded to the 32 bits of an advisory lock's second key. Two devices may share a
    /// lock: they then take turns needlessly, which is harmless.
    private static func lockKey(_ devEUI: EUI64) -> Int32 {
        Int32(truncatingIfNeeded: devEUI.rawValue ^ (devEUI.rawValue >> 32))
    }
}
