import SQLKit

extension Migration {
    /// The Network Server's aggregates: its devices, one session per device with the network session
    /// keys sealed and the frame counters as plain integers, and the application downlinks queued for
    /// the next receive window.
    ///
    /// No foreign keys between the three: a session or a queue entry may exist for a device the registry
    /// does not (yet) hold, and the repositories delete them together explicitly.
    static let networkServer = Migration(version: 7, name: "network_server") { sql, _ in
        try await sql.create(table: "ns_devices")
            // 16 upper-case hex digits, as `join_devices.dev_eui`: text order is numeric order (paging).
            .column("dev_eui", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("join_eui", type: .text)
            .column("mac_version", type: .text, .notNull)
            .column("region", type: .text)
            // DeviceModeInd's Class byte: 0 (A) or 2 (C).
            .column("device_class", type: .bigint, .notNull)
            .column("activation", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        // The counters are integer columns so that `NetworkSessionStore.update` compares them in SQL, in
        // the statement that writes them (DESIGN.md invariant 7): a frame counter never goes backwards,
        // whichever instance writes. The columns an ordinary uplink moves (counters, ADR, the confirmed
        // downlink awaiting its ACK) are separate from `mac_state`, so the common update rewrites only
        // them; `mac_state` (MAC settings, pending requests, device status) is written when it changes.
        try await sql.create(table: "ns_sessions")
            .column("dev_eui", type: .text, .primaryKey(autoIncrement: false), .notNull)
            .column("dev_addr", type: .bigint, .notNull)
            .column("mac_version", type: .text, .notNull)
            .column("region", type: .text, .notNull)
            .column("activation", type: .text, .notNull)
            .column("session_key_id", type: .blob, .notNull)
            // NwkSKey (1.0.x) or FNwkSIntKey || SNwkSIntKey || NwkSEncKey (1.1), AES-GCM under the
            // key-encryption key, bound to this DevEUI (see `SecretSealer`); never plain.
            .column("keys_sealed", type: .blob, .notNull)
            .column("keys_kek_id", type: .text, .notNull)
            // The 1.1 FOpts encryption variant; NULL for 1.0.x keys.
            .column("f_opts_variant", type: .text)
            .column("f_cnt_up", type: .bigint)
            .column("last_confirmed_uplink_fcnt", type: .bigint)
            .column("last_confirmed_downlink_fcnt", type: .bigint)
            // FCntDown (1.0.x) or NFCntDown and AFCntDown (1.1), each the next value to use.
            .column("f_cnt_down", type: .bigint)
            .column("n_f_cnt_down", type: .bigint)
            .column("a_f_cnt_down", type: .bigint)
            .column("adr_enabled", type: .bigint, .notNull)
            // The data rate of the device's last uplink (`MACSettings.dataRate`), which an uplink moves.
            .column("data_rate", type: .bigint, .notNull)
            .column("adr_history", type: .blob, .notNull)
            .column("pending_confirmed_downlink_id", type: .blob)
            // `NetworkSessionDocument`: versioned compact binary.
            .column("mac_state", type: .blob, .notNull)
            .check(SQLRaw("(f_cnt_down IS NULL) <> (n_f_cnt_down IS NULL)"), named: "ns_sessions_one_downlink_counter_shape")
            .check(SQLRaw("(n_f_cnt_down IS NULL) = (a_f_cnt_down IS NULL)"), named: "ns_sessions_separate_counters_together")
            .check(SQLRaw("""
                (f_cnt_up IS NULL OR f_cnt_up BETWEEN 0 AND 4294967295) \
                AND (f_cnt_down IS NULL OR f_cnt_down BETWEEN 0 AND 4294967295) \
                AND (n_f_cnt_down IS NULL OR n_f_cnt_down BETWEEN 0 AND 4294967295) \
                AND (a_f_cnt_down IS NULL OR a_f_cnt_down BETWEEN 0 AND 4294967295)
                """), named: "ns_sessions_counters_32_bits")
            .run()
        // The candidates of an uplink: every session holding its DevAddr.
        try await sql.create(index: "ns_sessions_by_dev_addr").on("ns_sessions").column("dev_addr").run()

        try await sql.create(table: "ns_downlink_queue")
            // Insertion order, to break FCnt ties deterministically.
            .column("seq", type: .bigint, .primaryKey(autoIncrement: true))
            // `StoredUUID`: 16 bytes.
            .column("id", type: .blob, .notNull, .unique)
            .column("dev_eui", type: .text, .notNull)
            .column("session_key_id", type: .blob, .notNull)
            .column("f_port", type: .bigint, .notNull)
            .column("f_cnt", type: .bigint, .notNull)
            // Encrypted under the AppSKey by the Application Server: not readable here.
            .column("frm_payload", type: .blob, .notNull)
            .column("confirmed", type: .bigint, .notNull)
            .run()
        try await sql.create(index: "ns_downlink_queue_by_device").on("ns_downlink_queue").column("dev_eui").column("f_cnt").column("seq").run()
    }
}
