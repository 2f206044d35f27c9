import SQLKit

extension Migration {
    /// The Join Server's aggregates: devices with their sealed root keys and nonce state, the DevNonces
    /// 1.0.0-1.0.3 devices have used, the sessions the Application Server may ask about, an append-only
    /// device audit log, and the sealed manufacturer master keys and peer KEKs.
    static let joinServer = Migration(version: 5, name: "join_server") { sql, flavor in
        try await sql.create(table: "join_devices")
            // 16 upper-case hex digits, as `gateways.eui`: fixed width, so text order is numeric order
            // (paging by DevEUI and master-key ranges compare text).
            .column("dev_eui", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("join_eui", type: .text, .notNull)
            .column("mac_version", type: .text, .notNull)
            // AppKey (1.0.x) or NwkKey || AppKey (1.1), AES-GCM under the key-encryption key, bound to
            // this DevEUI (see `SecretSealer`); never plain.
            .column("root_keys_sealed", type: .blob)
            .column("root_keys_kek_id", type: .text)
            .column("owner", type: .text)
            .column("claim_code_hash", type: .blob)
            .column("home_net_id", type: .text)
            .column("as_id", type: .text)
            .column("transferred_at", type: .bigint)
            .column("created_at", type: .bigint, .notNull)
            // Nonce state, NULL until the first accepted join (or after a DevNonce reset).
            .column("last_dev_nonce", type: .bigint)
            .column("last_rj_count1", type: .bigint)
            .column("last_join_nonce", type: .bigint)
            .check(SQLRaw("(root_keys_sealed IS NULL) = (root_keys_kek_id IS NULL)"), named: "join_devices_sealed_keys_have_key_id")
            .check(SQLRaw("last_join_nonce IS NULL OR last_join_nonce BETWEEN 0 AND 16777215"), named: "join_devices_join_nonce_24_bits")
            .run()
        try await sql.create(index: "join_devices_by_owner").on("join_devices").column("owner").column("dev_eui").run()

        // Every DevNonce a LoRaWAN 1.0.0-1.0.3 device has used, kept for the device's life (until an
        // operator resets it): those devices pick DevNonce at random, and a replayed join-request is
        // refused only if its nonce is remembered (1.0.3 §6.2.4). A window of recent nonces would let an
        // old join-request be replayed once it falls out of the window. At most 65,536 rows per device,
        // and in practice a few hundred over its lifetime.
        try await sql.create(table: "join_used_dev_nonces")
            .column("dev_eui", type: .text, .notNull, .references("join_devices", "dev_eui", onDelete: .cascade))
            .column("dev_nonce", type: .bigint, .notNull)
            .primaryKey("dev_eui", "dev_nonce")
            .run()

        // What is needed to recompute a session's keys from the root keys when the Application Server
        // asks (no session key is stored). Keyed by DevEUI first: the Backend Interfaces' AppSKeyReq
        // names both, and the key doubles as the index that finds (and cascades to) a device's sessions.
        try await sql.create(table: "join_sessions")
            .column("dev_eui", type: .text, .notNull, .references("join_devices", "dev_eui", onDelete: .cascade))
            .column("session_key_id", type: .blob, .notNull)
            .column("derivation", type: .text, .notNull)
            .column("net_id", type: .text, .notNull)
            .column("join_eui", type: .text, .notNull)
            .column("nonce", type: .bigint, .notNull)
            .column("join_nonce", type: .bigint, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("dev_eui", "session_key_id")
            .run()

        // No foreign key to join_devices: a deleted device's history stays.
        try await sql.create(table: "join_device_audit_events")
            .column("id", type: .bigint, .primaryKey(autoIncrement: true))
            .column("time", type: .bigint, .notNull)
            .column("actor", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("dev_eui", type: .text)
            .column("detail", type: .text, .notNull)
            .run()
        try await sql.create(index: "join_device_audit_events_by_time").on("join_device_audit_events").column("time").column("id").run()
        try await sql.create(index: "join_device_audit_events_by_device").on("join_device_audit_events")
            .column("dev_eui").column("time").column("id").run()
        try await appendOnly("join_device_audit_events", on: sql, flavor: flavor)

        try await sql.create(table: "join_master_keys")
            .column("name", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("join_eui_first", type: .text, .notNull)
            .column("join_eui_last", type: .text, .notNull)
            // Sealed, bound to the key's name.
            .column("key_sealed", type: .blob, .notNull)
            .column("key_kek_id", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .check(SQLRaw("join_eui_first <= join_eui_last"), named: "join_master_keys_range_ordered")
            .run()

        try await sql.create(table: "join_peer_keks")
            // `ns:<NetID>` or `as:<AS-ID>` (`BackendPeer.description`).
            .column("peer", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("kek_label", type: .text, .notNull)
            // Sealed, bound to the peer.
            .column("key_sealed", type: .blob, .notNull)
            .column("key_kek_id", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
    }

    /// The same triggers migration 3 puts on `audit_events` (PostgreSQL reuses its trigger function).
    private static func appendOnly(_ table: String, on sql: any SQLDatabase, flavor: SQLFlavor) async throws {
        switch flavor {
        case .sqlite:
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: operation.lowercased()) BEFORE \(unsafeRaw: operation) ON \(unsafeRaw: table)
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
                    """).run()
            }
        case .postgres:
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_no_update_or_delete BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
                """).run()
            try await sql.raw("""
                CREATE TRIGGER \(unsafeRaw: table)_no_truncate BEFORE TRUNCATE ON \(unsafeRaw: table)
                FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
                """).run()
        }
    }
}
