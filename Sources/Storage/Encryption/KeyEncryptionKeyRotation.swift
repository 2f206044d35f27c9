import Foundation
import Logging
import SQLKit

extension GatehouseStore {
    /// Re-seals every stored secret under `newKey` and makes it the database's key-encryption key.
    ///
    /// Opens the database with `oldKey` (migrating it and checking that `oldKey` is its key), then in
    /// **one transaction** opens each value of every sealed column (`SealedColumn.all`: CA private keys,
    /// device root keys, master keys, peer KEKs, AppSKeys, webhook secrets, network session keys) with `oldKey`, seals it
    /// under `newKey` for the same row, and replaces the recorded key check with `newKey`'s. Any failure (a value sealed under a third key,
    /// one that does not authenticate) rolls everything back, so the database is never half rotated.
    /// Afterwards it rewrites the tables (`DatabaseEngine.rewriteDiscardingDeletedRows`) so the old
    /// ciphertexts leave the database files as well; backups, and on PostgreSQL its WAL archive, still
    /// hold them.
    ///
    /// It is an offline operation: **stop every instance first**, and start them again with `newKey`.
    /// An instance still running holds `oldKey` in memory and would seal new secrets under it, which the
    /// others then refuse as sealed under a wrong key; opening with `oldKey` fails from now on with
    /// `StorageError.wrongKeyEncryptionKey`.
    ///
    /// - Returns: how many secrets were re-sealed (the key check value not counted).
    public static func rotateKeyEncryptionKey(
        _ configuration: StorageConfiguration, from oldKey: KeyEncryptionKey, to newKey: KeyEncryptionKey,
        logger: Logger, at time: Date = Date()
    ) async throws -> Int {
        let engine = try await openEngine(configuration, logger: logger)
        do {
            try await MigrationRunner.migrate(engine, at: time, logger: logger)
            let old = SecretSealer(key: oldKey)
            try await KeyEncryptionKeyCheck.verify(old, engine: engine, at: time)
            let count = try await KeyEncryptionKeyRotation.rotate(engine, from: old, to: SecretSealer(key: newKey), at: time)
            do {
                let tables = Set(SealedColumn.all.map(\.table) + ["key_encryption_keys"]).sorted()
                try await engine.rewriteDiscardingDeletedRows(of: tables)
            } catch {
                // The rotation is committed; only the clean-up of old ciphertexts failed.
                logger.warning(
                    "key-encryption key rotated, but the old ciphertexts may remain in free database pages until the next VACUUM",
                    metadata: ["error": "\(DriverError.storageError(error))"]
                )
            }
            logger.notice(
                "key-encryption key rotated",
                metadata: ["storage": "\(configuration)", "old_kek_id": "\(oldKey.id)", "kek_id": "\(newKey.id)", "secrets": "\(count)"]
            )
            await engine.close()
            return count
        } catch {
            await engine.close()
            throw DriverError.storageError(error)
        }
    }
}

/// The transaction of a key-encryption key rotation (see `GatehouseStore.rotateKeyEncryptionKey`).
enum KeyEncryptionKeyRotation {
    /// Rows read and rewritten per statement pair: bounds memory and bind counts on large tables.
    static let rowsPerPage = 500

    static func rotate(_ engine: any DatabaseEngine, from old: SecretSealer, to new: SecretSealer, at time: Date) async throws -> Int {
        let check = try KeyEncryptionKeyCheck.checkValue(sealedBy: new)
        return try await engine.transaction { sql in
            // Serialises with instances starting (they check the key under the same lock).
            try await MigrationRunner.lock(sql, flavor: engine.flavor)
            var count = 0
            for column in SealedColumn.all {
                count += try await reseal(column, from: old, to: new, on: sql)
            }
            try await sql.raw("DELETE FROM key_encryption_keys").run()
            try await sql.raw("""
                INSERT INTO key_encryption_keys (key_id, check_value, created_at)
                VALUES (\(bind: new.key.id), \(bind: Data(check.box)), \(bind: StoredTime.microseconds(time)))
                """).run()
            return count
        }
    }

    /// Re-seals one column, a page of rows at a time in key order: one `SELECT` and one `UPDATE` a page.
    private static func reseal(_ column: SealedColumn, from old: SecretSealer, to new: SecretSealer, on sql: any SQLDatabase) async throws -> Int {
        var count = 0
        var after: String?
        while true {
            var query = SQLQueryString("""
                SELECT \(ident: column.rowColumn) AS row_key, \(ident: column.sealedColumn) AS sealed, \(ident: column.keyIDColumn) AS kek_id \
                FROM \(ident: column.table) WHERE \(ident: column.sealedColumn) IS NOT NULL
                """)
            if let after { query += " AND \(ident: column.rowColumn) > \(bind: after)" }
            query += " ORDER BY \(ident: column.rowColumn) LIMIT \(bind: Int64(rowsPerPage)) \(SQLLockingClause.update)"
            let rows = try await sql.raw(query).all()
            guard !rows.isEmpty else { return count }

            var update = SQLQueryString("UPDATE \(ident: column.table) SET \(ident: column.sealedColumn) = v.column2, ")
            update += "\(ident: column.keyIDColumn) = \(bind: new.key.id) FROM (VALUES "
            for (index, row) in rows.enumerated() {
                let key = try row.text("row_key", table: column.table)
                let sealed = SealedSecret(keyID: try row.text("kek_id", table: column.table), box: try row.bytes("sealed", table: column.table))
                let binding = column.binding(row: key)
                let resealed = try new.seal(try old.open(sealed, for: binding), for: binding)
                if index > 0 { update += ", " }
                update += "(\(bind: key), \(bind: Data(resealed.box)))"
                after = key
            }
            update += ") AS v WHERE \(ident: column.table).\(ident: column.rowColumn) = v.column1"
            try await sql.raw(update).run()
            count += rows.count
            if rows.count < rowsPerPage { return count }
        }
    }
}
