import SQLKit

extension Migration {
    /// The Gateway PKI's aggregates: gateways, certificate authorities, certificates, CRLs, the audit
    /// log, and the check value of the key-encryption key.
    static let pkiSchema = Migration(version: 1, name: "pki_schema") { sql, _ in
        try await sql.create(table: "gateways")
            // 16 upper-case hex digits: fixed width, so text order is numeric order.
            .column("eui", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("name", type: .text, .notNull)
            .column("network", type: .text, .notNull)
            .column("latitude", type: .double)
            .column("longitude", type: .double)
            .column("altitude", type: .double)
            .column("frequency_plan", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "gateways_by_network").on("gateways").column("network").column("eui").run()

        try await sql.create(table: "authorities")
            .column("id", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("role", type: .text, .notNull)
            .column("certificate_der", type: .blob, .notNull)
            // AES-GCM under the key-encryption key, bound to this row (see `SecretSealer`); never plain.
            .column("private_key_sealed", type: .blob)
            .column("private_key_kek_id", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .check(SQLRaw("role IN ('root', 'issuing', 'vendor')"), named: "authorities_role")
            .check(SQLRaw("(private_key_sealed IS NULL) = (private_key_kek_id IS NULL)"), named: "authorities_sealed_key_has_key_id")
            .run()

        try await sql.create(table: "certificates")
            // A surrogate key orders certificates issued in the same microsecond.
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("serial", type: .text, .notNull, .unique)
            .column("gateway_eui", type: .text, .notNull)
            .column("issuer_id", type: .text, .notNull)
            .column("not_before", type: .bigint, .notNull)
            .column("not_after", type: .bigint, .notNull)
            .column("fingerprint_sha256", type: .text, .notNull)
            .column("der", type: .blob, .notNull)
            .column("key_algorithm", type: .text, .notNull)
            .column("key_source", type: .text, .notNull)
            .column("issued_at", type: .bigint, .notNull)
            .column("revoked_at", type: .bigint)
            .column("revocation_reason", type: .bigint)
            .check(SQLRaw("(revoked_at IS NULL) = (revocation_reason IS NULL)"), named: "certificates_revocation_complete")
            .run()
        // No foreign key to gateways: a deleted gateway's certificates stay (revoked) for the CRL and history.
        try await sql.create(index: "certificates_by_gateway").on("certificates").column("gateway_eui").column("issued_at").run()
        // The re-issue rule as a constraint: a gateway has at most one unrevoked certificate, whatever
        // races the application loses. Also the index that finds a gateway's current certificate.
        try await sql.raw("""
            CREATE UNIQUE INDEX certificates_one_unrevoked_per_gateway ON certificates (gateway_eui) WHERE revoked_at IS NULL
            """).run()
        // The CRL's content: revoked certificates of one issuer that have not expired.
        try await sql.raw("""
            CREATE INDEX certificates_revoked_by_issuer ON certificates (issuer_id, not_after) WHERE revoked_at IS NOT NULL
            """).run()

        try await sql.create(table: "crls")
            .column("issuer_id", type: .text, .primaryKey(autoIncrement: false), .notNull, .references("authorities", "id", onDelete: .cascade))
            .column("number", type: .bigint, .notNull)
            .column("this_update", type: .bigint, .notNull)
            .column("next_update", type: .bigint, .notNull)
            .column("der", type: .blob, .notNull)
            .run()

        try await sql.create(table: "audit_events")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("time", type: .bigint, .notNull)
            .column("actor", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("gateway_eui", type: .text)
            .column("serial", type: .text)
            .column("fingerprint_sha256", type: .text)
            .column("detail", type: .text, .notNull)
            .run()
        try await sql.create(index: "audit_events_by_time").on("audit_events").column("time").column("id").run()
        try await sql.create(index: "audit_events_by_gateway").on("audit_events").column("gateway_eui").column("time").column("id").run()

        try await sql.create(table: "key_encryption_keys")
            .column("key_id", type: .text, .primaryKey(autoIncrement: false), .notNull)
            // A known value sealed under the key: opening it proves the configured key is this one.
            .column("check_value", type: .blob, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
    }
}
