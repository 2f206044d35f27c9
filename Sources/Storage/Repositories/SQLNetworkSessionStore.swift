import Foundation
import LoRaWAN
import NetworkServer
import SQLKit

/// The Network Server's sessions on SQLite or PostgreSQL, one row of `ns_sessions` per device. The
/// network session keys are stored only sealed under the key-encryption key, bound to the DevEUI, and
/// opened when read; the counters are integer columns that ``update(_:)`` compares in the statement
/// that writes them.
///
/// The batched, guarded update is in `SQLNetworkSessionStore+Update.swift`.
public struct SQLNetworkSessionStore: NetworkSessionStore {
    let engine: any DatabaseEngine
    let sealer: SecretSealer

    public func sessions(devAddr: DevAddr) async throws -> [NetworkSession] {
        let stored = try await engine.read { sql in
            try await sql.raw("""
                SELECT \(NetworkSessionRows.columns) FROM ns_sessions WHERE dev_addr = \(bind: Int64(devAddr.rawValue)) ORDER BY dev_eui
                """).all().map(NetworkSessionRows.Stored.init)
        }
        return try stored.map { try $0.record(opening: sealer) }
    }

    public func session(devEUI: EUI64) async throws -> NetworkSession? {
        let stored = try await engine.read { sql in
            try await sql.raw("SELECT \(NetworkSessionRows.columns) FROM ns_sessions WHERE dev_eui = \(bind: devEUI.description)")
                .first().map(NetworkSessionRows.Stored.init)
        }
        return try stored?.record(opening: sealer)
    }

    /// Replaces each device's row whole (keys, counters, MAC state) and drops its queued downlinks,
    /// which were encrypted for the old session: one transaction and two statements for the batch.
    public func activate(_ sessions: [NetworkSession]) async throws {
        // One row per device: PostgreSQL refuses an upsert that updates a row twice. The later wins.
        var position: [EUI64: Int] = [:]
        for (index, session) in sessions.enumerated() { position[session.devEUI] = index }
        let kept = sessions.indices.filter { position[sessions[$0].devEUI] == $0 }.map { sessions[$0] }
        guard !kept.isEmpty else { return }
        // Seal and encode before the transaction: the write lock is held only for the statements.
        var upsert = SQLQueryString("INSERT INTO ns_sessions (\(NetworkSessionRows.columns)) VALUES ")
        var dropQueued = SQLQueryString("DELETE FROM ns_downlink_queue WHERE dev_eui IN (")
        for (index, session) in kept.enumerated() {
            let sealed = try NetworkSessionRows.seal(session, with: sealer)
            if index > 0 {
                upsert += ", "
                dropQueued += ", "
            }
            upsert += NetworkSessionRows.values(session, sealed: sealed)
            dropQueued += "\(bind: session.devEUI.description)"
        }
        upsert += " ON CONFLICT (dev_eui) DO UPDATE SET \(NetworkSessionRows.replacedOnConflict)"
        dropQueued += ")"
        try await engine.transaction { sql in
            try await sql.raw(dropQueued).run()
            try await sql.raw(upsert).run()
        }
    }

    public func deleteSession(devEUI: EUI64) async throws {
        try await engine.transaction { sql in
            try await sql.raw("DELETE FROM ns_downlink_queue WHERE dev_eui = \(bind: devEUI.description)").run()
            try await sql.raw("DELETE FROM ns_sessions WHERE dev_eui = \(bind: devEUI.description)").run()
        }
    }
}
