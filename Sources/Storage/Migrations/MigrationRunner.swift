import Foundation
import Logging
import SQLKit

/// Brings a database's schema up to the newest `Migration`, one transaction per migration.
///
/// Safe to run on every start and from several instances at once: each transaction first takes the
/// migration lock (PostgreSQL: a transaction-scoped advisory lock; SQLite: `BEGIN IMMEDIATE` already
/// holds the only write lock), then reads `schema_migrations` and applies the next missing step.
enum MigrationRunner {
    /// An arbitrary constant naming Gatehouse's migration lock among PostgreSQL advisory locks.
    private static let advisoryLockKey: Int64 = 0x6761_7465_686F_7573  // "gatehous"

    private enum Step: Sendable {
        case applied(version: Int, name: String)
        case upToDate(version: Int)
    }

    /// Migrations apply in version order whatever order `migrations` lists them in, and a version
    /// missing from the history is applied even when a higher one is recorded (two steps written in
    /// parallel and released together may have reached a development database in either order).
    ///
    /// - Returns: the schema version after migrating.
    @discardableResult
    static func migrate(
        _ engine: any DatabaseEngine, migrations: [Migration] = Migration.all, at time: Date, logger: Logger
    ) async throws -> Int {
        let migrations = migrations.sorted { $0.version < $1.version }
        while true {
            let step: Step = try await engine.transaction { sql in
                try await lock(sql, flavor: engine.flavor)
                try await sql.create(table: "schema_migrations").ifNotExists()
                    .column("version", type: .bigint, .primaryKey(autoIncrement: false), .notNull)
                    .column("name", type: .text, .notNull)
                    .column("applied_at", type: .bigint, .notNull)
                    .run()
                let applied = try await checkHistory(sql, against: migrations)
                guard let next = migrations.first(where: { !applied.contains($0.version) }) else {
                    return .upToDate(version: applied.max() ?? 0)
                }
                do {
                    try await next.apply(sql, engine.flavor)
                } catch {
                    throw StorageError.migrationFailed(
                        version: next.version, name: next.name, reason: "\(DriverError.storageError(error))"
                    )
                }
                try await sql.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: Int64(next.version)), \(bind: next.name), \(bind: StoredTime.microseconds(time)))
                    """).run()
                return .applied(version: next.version, name: next.name)
            }
            switch step {
            case .applied(let version, let name):
                logger.info("applied storage migration", metadata: ["version": "\(version)", "name": "\(name)"])
            case .upToDate(let version):
                return version
            }
        }
    }

    /// Serialises migrators (and the key check) across PostgreSQL instances until the transaction ends.
    static func lock(_ sql: any SQLDatabase, flavor: SQLFlavor) async throws {
        guard flavor == .postgres else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: advisoryLockKey))").run()
    }

    /// Checks the recorded migrations against this build's and returns the recorded versions.
    private static func checkHistory(_ sql: any SQLDatabase, against migrations: [Migration]) async throws -> Set<Int> {
        let rows = try await sql.raw("SELECT version, name FROM schema_migrations ORDER BY version").all()
        let known = migrations.map(\.version).max() ?? 0
        var applied: Set<Int> = []
        for row in rows {
            let version = Int(try row.integer("version", table: "schema_migrations"))
            let name = try row.text("name", table: "schema_migrations")
            guard version <= known else { throw StorageError.schemaNewerThanCode(databaseVersion: version, knownVersion: known) }
            guard let migration = migrations.first(where: { $0.version == version }), migration.name == name else {
                let expected = migrations.first(where: { $0.version == version })?.name ?? "<none>"
                throw StorageError.migrationHistoryDiverged(version: version, recorded: name, expected: expected)
            }
            applied.insert(version)
        }
        return applied
    }
}
