import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit

/// Applications, their webhooks and device assignments on SQLite or PostgreSQL. Each application's
/// webhook secret is stored only sealed under the key-encryption key, bound to the application's id,
/// and opened when read (DESIGN.md invariant 2).
///
/// The uplink path, ``application(of:)``, is one statement on a reader: the device's assignment (a
/// primary-key lookup), its application and the application's webhooks.
public struct SQLApplicationRegistry: ApplicationRegistry {
    let engine: any DatabaseEngine
    let sealer: SecretSealer

    public func application(_ id: ApplicationID) async throws -> Application? {
        let stored = try await engine.read { sql in
            try ApplicationRows.Stored(try await sql.raw("""
                SELECT \(ApplicationRows.columns) FROM applications AS a LEFT JOIN application_webhooks AS w ON w.application_id = a.id
                WHERE a.id = \(bind: id.rawValue) ORDER BY w.position
                """).all())
        }
        return try stored?.record(opening: sealer)
    }

    public func application(of devEUI: EUI64) async throws -> Application? {
        let stored = try await engine.read { sql in
            try ApplicationRows.Stored(try await sql.raw("""
                SELECT \(ApplicationRows.columns) FROM application_devices AS d
                JOIN applications AS a ON a.id = d.application_id
                LEFT JOIN application_webhooks AS w ON w.application_id = a.id
                WHERE d.dev_eui = \(bind: devEUI.description) ORDER BY w.position
                """).all())
        }
        return try stored?.record(opening: sealer)
    }

    /// Every application with its webhooks, by id: one statement, the rows grouped by application.
    public func applications() async throws -> [Application] {
        let groups = try await engine.read { sql in
            let rows = try await sql.raw("""
                SELECT \(ApplicationRows.columns) FROM applications AS a LEFT JOIN application_webhooks AS w ON w.application_id = a.id
                ORDER BY a.id, w.position
                """).all()
            var groups: [[any SQLRow]] = []
            var current: String?
            for row in rows {
                let id = try row.decode(column: "application_id", as: String.self)
                if id != current {
                    groups.append([])
                    current = id
                }
                groups[groups.count - 1].append(row)
            }
            return try groups.compactMap { try ApplicationRows.Stored($0) }
        }
        return try groups.map { try $0.record(opening: sealer) }
    }

    /// Replaces every field of an application with the same id (its creation time and webhooks too);
    /// its device assignments stay.
    public func save(_ application: Application) async throws {
        let sealed = try ApplicationRows.seal(application, with: sealer)
        let id = application.id.rawValue
        try await engine.transaction { sql in
            try await sql.raw("""
                INSERT INTO applications (id, name, webhook_secret_sealed, webhook_secret_kek_id, created_at) VALUES (
                    \(bind: id), \(bind: application.name), \(bind: Data(sealed.box)), \(bind: sealed.keyID),
                    \(bind: StoredTime.microseconds(application.createdAt)))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, webhook_secret_sealed = excluded.webhook_secret_sealed,
                    webhook_secret_kek_id = excluded.webhook_secret_kek_id, created_at = excluded.created_at
                """).run()
            try await sql.raw("DELETE FROM application_webhooks WHERE application_id = \(bind: id)").run()
            if let insert = ApplicationRows.insertWebhooks(of: application) {
                try await sql.raw(insert).run()
            }
        }
    }

    /// The foreign keys' `ON DELETE CASCADE` removes its webhooks and device assignments with it. Its
    /// queued deliveries stay, and are marked dead when attempted (their webhook no longer exists).
    public func delete(_ id: ApplicationID) async throws -> Bool {
        try await engine.transaction { sql in
            try await sql.raw("DELETE FROM applications WHERE id = \(bind: id.rawValue) RETURNING id").first() != nil
        }
    }

    /// One statement: the `SELECT` inserts nothing when the application does not exist, and the
    /// conflict on the DevEUI (the primary key) moves the device from its earlier application.
    public func assign(_ devEUI: EUI64, to application: ApplicationID) async throws -> Bool {
        try await engine.transaction { sql in
            try await sql.raw("""
                INSERT INTO application_devices (dev_eui, application_id)
                SELECT \(bind: devEUI.description), id FROM applications WHERE id = \(bind: application.rawValue)
                ON CONFLICT (dev_eui) DO UPDATE SET application_id = excluded.application_id
                RETURNING dev_eui
                """).first() != nil
        }
    }

    public func unassign(_ devEUI: EUI64) async throws -> Bool {
        try await engine.transaction { sql in
            try await sql.raw("DELETE FROM application_devices WHERE dev_eui = \(bind: devEUI.description) RETURNING dev_eui").first() != nil
        }
    }

    /// DevEUIs are stored as fixed-width upper-case hex, whose text order is their numeric order.
    public func devices(of application: ApplicationID) async throws -> [EUI64] {
        try await engine.read { sql in
            try await sql.raw("""
                SELECT dev_eui FROM application_devices WHERE application_id = \(bind: application.rawValue) ORDER BY dev_eui
                """).all().map { try $0.eui("dev_eui", table: "application_devices") }
        }
    }
}
