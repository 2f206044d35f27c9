import SQLKit

extension Migration {
    /// Makes the audit log append-only in the database itself, not only by the absence of an update or
    /// delete API: a stray `UPDATE` or `DELETE` (or PostgreSQL `TRUNCATE`) on `audit_events` fails.
    static let appendOnlyAudit = Migration(version: 3, name: "audit_events_append_only") { sql, flavor in
        switch flavor {
        case .sqlite:
            for operation in ["UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER audit_events_no_\(unsafeRaw: operation.lowercased()) BEFORE \(unsafeRaw: operation) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
                    """).run()
            }
        case .postgres:
            try await sql.raw("""
                CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
                """).run()
        }
    }
}
