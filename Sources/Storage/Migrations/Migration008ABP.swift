import SQLKit

extension Migration {
    /// Whether an Application Server session was activated by personalisation: its AppSKey came from
    /// the operator, not a Join Server, and its uplink events say the device is insecure. Existing
    /// sessions all came from joins (0).
    static let abpSessions = Migration(version: 8, name: "abp_sessions") { sql, _ in
        try await sql.alter(table: "application_sessions")
            .column("abp", type: .bigint, .notNull, .default(0))
            .run()
    }
}
