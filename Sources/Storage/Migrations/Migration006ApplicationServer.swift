import SQLKit

extension Migration {
    /// The Application Server's aggregates: each device's latest sessions with their sealed AppSKeys,
    /// applications with their webhooks, sealed webhook secrets and device assignments, and the durable
    /// outbox of webhook deliveries.
    static let applicationServer = Migration(version: 6, name: "application_server") { sql, _ in
        try await sql.create(table: "application_sessions")
            // `<DevEUI>/<SessionKeyID in lower-case hex>`: one text key that an uplink's lookup finds
            // directly, that the sealed AppSKey is bound to (so a ciphertext copied into another session's
            // row does not open), and that the key-encryption key rotation pages by.
            .column("id", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("dev_eui", type: .text, .notNull)
            .column("session_key_id", type: .blob, .notNull)
            .column("dev_addr", type: .bigint, .notNull)
            // The AppSKey, AES-GCM under the key-encryption key, bound to `id`; never plain.
            .column("app_s_key_sealed", type: .blob, .notNull)
            .column("app_s_key_kek_id", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            // Per device, 1 + the highest before: orders the device's sessions by when they were stored
            // (`created_at` comes from the Join Server's clock and may tie), for "latest" and "keep two".
            .column("stored_seq", type: .bigint, .notNull)
            .check(SQLRaw("dev_addr BETWEEN 0 AND 4294967295"), named: "application_sessions_dev_addr_32_bits")
            .run()
        try await sql.create(index: "application_sessions_by_device").on("application_sessions")
            .column("dev_eui").column("stored_seq").run()

        try await sql.create(table: "applications")
            .column("id", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("name", type: .text, .notNull)
            // The webhook secret's UTF-8, sealed and bound to the application's id.
            .column("webhook_secret_sealed", type: .blob, .notNull)
            .column("webhook_secret_kek_id", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        // An application's webhooks in their order (`position` from 0). Their ids are 16-byte UUIDs, as
        // in `webhook_deliveries`, which name a webhook by id.
        try await sql.create(table: "application_webhooks")
            .column("application_id", type: .text, .notNull, .references("applications", "id", onDelete: .cascade))
            .column("position", type: .bigint, .notNull)
            .column("id", type: .blob, .notNull)
            .column("url", type: .text, .notNull)
            .primaryKey("application_id", "position")
            .unique("application_id", "id", named: "application_webhooks_unique_id")
            .run()

        // The primary key makes "a device belongs to at most one application" a rule of the database.
        try await sql.create(table: "application_devices")
            .column("dev_eui", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("application_id", type: .text, .notNull, .references("applications", "id", onDelete: .cascade))
            .run()
        try await sql.create(index: "application_devices_by_application").on("application_devices")
            .column("application_id").column("dev_eui").run()

        // The outbox. No foreign key to applications: enqueueing runs at the uplink rate and should touch
        // one table, and a delivery whose application or webhook is gone is marked dead when attempted.
        // A delivered row is deleted; a dead one stays (`status = 'dead'`) for inspection.
        try await sql.create(table: "webhook_deliveries")
            .column("id", type: .blob, .primaryKey(autoIncrement: false), .notNull)
            .column("application_id", type: .text, .notNull)
            .column("webhook_id", type: .blob, .notNull)
            .column("event_type", type: .text, .notNull)
            .column("body", type: .blob, .notNull)
            .column("queued_at", type: .bigint, .notNull)
            .column("attempts", type: .bigint, .notNull)
            // When it is due; while claimed, when the claimant's lease ends.
            .column("next_attempt_at", type: .bigint, .notNull)
            .column("status", type: .text, .notNull)
            .column("last_error", type: .text)
            .check(SQLRaw("status IN ('pending', 'dead')"), named: "webhook_deliveries_status")
            .run()
        // Only pending rows, in the order claims take them: dead rows never slow a claim down.
        try await sql.raw("""
            CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending'
            """).run()
    }
}
