import SQLKit

extension Migration {
    /// Operator API keys: an id, a name and the SHA-256 of the secret; the secret itself is never stored.
    static let apiKeys = Migration(version: 2, name: "api_keys") { sql, _ in
        try await sql.create(table: "api_keys")
            .column("id", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("name", type: .text, .notNull)
            .column("secret_sha256", type: .blob, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("revoked_at", type: .bigint)
            .run()
    }
}
