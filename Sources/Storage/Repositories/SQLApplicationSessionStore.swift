import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit

/// The Application Server's sessions on SQLite or PostgreSQL: each device's latest two, with the
/// AppSKey stored only sealed under the key-encryption key, bound to the session's row, and opened
/// when read (DESIGN.md invariant 2).
///
/// The uplink path, ``session(devEUI:sessionKeyID:)``, is one primary-key lookup on a reader. Stores
/// are batched (`SQLApplicationSessionStore+Store.swift`).
public struct SQLApplicationSessionStore: ApplicationSessionStore {
    let engine: any DatabaseEngine
    let sealer: SecretSealer

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
}
