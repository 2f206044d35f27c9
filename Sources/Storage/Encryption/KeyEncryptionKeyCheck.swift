import Foundation
import SQLKit

/// Proves at start-up that the configured key-encryption key is the one the database's secrets are
/// sealed under, so a wrong key fails the start with a clear error instead of the first CA signature.
///
/// The first start records a check value (a constant sealed under the key) in `key_encryption_keys`.
/// Later starts must find their key's id there and open its check value.
enum KeyEncryptionKeyCheck {
    private static let checkPlaintext = Array("gatehouse key-encryption key check".utf8)

    static func verify(_ sealer: SecretSealer, engine: any DatabaseEngine, at time: Date) async throws {
        let keyID = sealer.key.id
        let binding = binding(keyID: keyID)
        let sealedCheck = try checkValue(sealedBy: sealer)
        try await engine.transaction { sql in
            // Two instances starting on an empty PostgreSQL database must not record two keys.
            try await MigrationRunner.lock(sql, flavor: engine.flavor)
            let rows = try await sql.raw("SELECT key_id, check_value FROM key_encryption_keys ORDER BY created_at").all()
            if rows.isEmpty {
                try await sql.raw("""
                    INSERT INTO key_encryption_keys (key_id, check_value, created_at)
                    VALUES (\(bind: keyID), \(bind: Data(sealedCheck.box)), \(bind: StoredTime.microseconds(time)))
                    """).run()
                return
            }
            var recorded: [String] = []
            for row in rows {
                let id = try row.text("key_id", table: "key_encryption_keys")
                recorded.append(id)
                guard id == keyID else { continue }
                let box = try row.bytes("check_value", table: "key_encryption_keys")
                guard try sealer.open(SealedSecret(keyID: id, box: box), for: binding) == checkPlaintext else {
                    throw StorageError.secretRejected(table: "key_encryption_keys", row: id)
                }
                return
            }
            throw StorageError.wrongKeyEncryptionKey(configuredKeyID: keyID, databaseKeyIDs: recorded)
        }
    }

    /// A new check value for the sealer's key, as `key_encryption_keys.check_value` stores it.
    static func checkValue(sealedBy sealer: SecretSealer) throws -> SealedSecret {
        try sealer.seal(checkPlaintext, for: binding(keyID: sealer.key.id))
    }

    private static func binding(keyID: String) -> SecretBinding {
        SecretBinding(table: "key_encryption_keys", column: "check_value", row: keyID)
    }
}
