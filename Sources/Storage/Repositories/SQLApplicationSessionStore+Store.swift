import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit

/// Storing sessions, one or a group-committed batch, in one transaction: the batch's rows in multi-row
/// `INSERT`s, then one `DELETE` per group of devices that keeps each device's latest two. A batch of
/// any size is a few statements, where a transaction per session was two statements and a commit each.
extension SQLApplicationSessionStore {
    /// Rows per `INSERT`: 10 binds a row keeps a statement far below PostgreSQL's 65,535 and SQLite's
    /// 32,766 parameters.
    static let sessionsPerStatement = 500

    /// An arbitrary constant naming the session locks among PostgreSQL's two-key advisory locks (the
    /// second key is the DevEUI's): two instances storing sessions of one device take turns, so each
    /// sees the other's session when it numbers its own and drops all but the latest two.
    private static let sessionLockSpace: Int32 = 0x6173_736E  // "assn"

    public func store(_ session: ApplicationSession) async throws {
        try await store([session])
    }

    public func store(_ batch: [ApplicationSession]) async throws {
        let rows = try SessionRows(batch, sealer: sealer)
        guard !rows.sessions.isEmpty else { return }
        try await engine.transaction { sql in
            if engine.flavor == .postgres {
                try await Self.lock(rows.devices, on: sql)
            }
            for start in stride(from: 0, to: rows.sessions.count, by: Self.sessionsPerStatement) {
                try await sql.raw(Self.insert(rows.sessions[start..<min(start + Self.sessionsPerStatement, rows.sessions.count)])).run()
            }
            for start in stride(from: 0, to: rows.devices.count, by: Self.sessionsPerStatement) {
                try await sql.raw(Self.keepLatestTwo(rows.devices[start..<min(start + Self.sessionsPerStatement, rows.devices.count)])).run()
            }
        }
    }

    /// A batch ready for its statements: sealed before the transaction starts, so the write lock is
    /// held for the statements only.
    private struct SessionRows {
        struct Row {
            let id: String
            let session: ApplicationSession
            let sealed: SealedSecret
            /// 1 for the device's first session in the batch, 2 for its second...: added to the
            /// device's highest `stored_seq`, it numbers the batch's sessions in their order.
            let ordinal: Int64
        }

        let sessions: [Row]
        /// The batch's devices, each once, in DevEUI order.
        let devices: [EUI64]

        /// Of sessions with one id (a session stored twice in a batch), the last is kept, at its place:
        /// one `INSERT` may not touch a row twice.
        init(_ batch: [ApplicationSession], sealer: SecretSealer) throws {
            let ids = batch.map { ApplicationSessionRows.id(devEUI: $0.devEUI, sessionKeyID: $0.sessionKeyID) }
            var lastIndex: [String: Int] = [:]
            for (index, id) in ids.enumerated() { lastIndex[id] = index }
            var ordinals: [EUI64: Int64] = [:]
            var rows: [Row] = []
            for (index, session) in batch.enumerated() where lastIndex[ids[index]] == index {
                ordinals[session.devEUI, default: 0] += 1
                rows.append(Row(
                    id: ids[index], session: session, sealed: try ApplicationSessionRows.seal(session, id: ids[index], with: sealer),
                    ordinal: ordinals[session.devEUI, default: 1]))
            }
            sessions = rows
            devices = ordinals.keys.sorted()
        }
    }

    /// A session stored again (same SessionKeyID) is replaced and becomes the latest. Each row's
    /// `stored_seq` is the device's highest before plus its ordinal: increasing in batch order whether
    /// the database evaluates the subqueries before the statement (PostgreSQL) or row by row.
    private static func insert(_ rows: ArraySlice<SessionRows.Row>) -> SQLQueryString {
        var statement = SQLQueryString("INSERT INTO application_sessions (\(ApplicationSessionRows.columns), stored_seq) VALUES ")
        for (position, row) in rows.enumerated() {
            if position > 0 { statement += ", " }
            let session = row.session
            let devEUI = session.devEUI.description
            statement += """
                (\(bind: row.id), \(bind: devEUI), \(bind: Data(session.sessionKeyID)), \(bind: Int64(session.devAddr.rawValue)), \
                \(bind: Data(row.sealed.box)), \(bind: row.sealed.keyID), \(bind: StoredTime.microseconds(session.createdAt)), \
                \(bind: Int64(session.isABP ? 1 : 0)), \
                (SELECT COALESCE(MAX(stored_seq), 0) + \(bind: row.ordinal) FROM application_sessions WHERE dev_eui = \(bind: devEUI)))
                """
        }
        statement += """
             ON CONFLICT (id) DO UPDATE SET dev_addr = excluded.dev_addr, app_s_key_sealed = excluded.app_s_key_sealed,
                app_s_key_kek_id = excluded.app_s_key_kek_id, created_at = excluded.created_at, abp = excluded.abp,
                stored_seq = excluded.stored_seq
            """
        return statement
    }

    /// Deletes every session of `devices` that has two later ones.
    private static func keepLatestTwo(_ devices: ArraySlice<EUI64>) -> SQLQueryString {
        var statement = SQLQueryString("DELETE FROM application_sessions WHERE dev_eui IN (")
        for (position, devEUI) in devices.enumerated() {
            statement += position == 0 ? "\(bind: devEUI.description)" : ", \(bind: devEUI.description)"
        }
        statement += """
            ) AND (SELECT COUNT(*) FROM application_sessions AS newer
                WHERE newer.dev_eui = application_sessions.dev_eui AND newer.stored_seq > application_sessions.stored_seq) >= 2
            """
        return statement
    }

    /// Takes the devices' session locks in one statement, in ascending key order, so that two instances
    /// locking overlapping batches never wait for each other in a circle.
    private static func lock(_ devices: [EUI64], on sql: any SQLDatabase) async throws {
        let keys = Set(devices.map(lockKey)).sorted()
        var statement = SQLQueryString("SELECT pg_advisory_xact_lock(\(bind: sessionLockSpace), key) FROM (VALUES ")
        for (position, key) in keys.enumerated() {
            statement += position == 0 ? "(\(bind: key))" : ", (\(bind: key))"
        }
        statement += ") AS locks(key)"
        try await sql.raw(statement).run()
    }

    /// The DevEUI folded to the 32 bits of an advisory lock's second key. Two devices may share a
    /// lock: they then take turns needlessly, which is harmless.
    private static func lockKey(_ devEUI: EUI64) -> Int32 {
        Int32(truncatingIfNeeded: devEUI.rawValue ^ (devEUI.rawValue >> 32))
    }
}
