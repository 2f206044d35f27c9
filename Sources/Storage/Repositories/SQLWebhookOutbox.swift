import ApplicationServer
import Foundation
import SQLKit

/// The durable queue of webhook deliveries on SQLite or PostgreSQL.
///
/// A claim is one transaction: `SELECT` the due rows, then move their `next_attempt_at` to the lease's
/// end. On PostgreSQL the `SELECT` is `FOR UPDATE SKIP LOCKED`, so instances claiming at once take
/// disjoint rows without waiting for each other, and a row claimed and committed elsewhere is no longer
/// due when re-checked; on SQLite `BEGIN IMMEDIATE` holds the only write lock for the whole claim. A
/// delivered row is deleted; a dead one stays with `status = 'dead'` and is never claimed again.
public struct SQLWebhookOutbox: WebhookOutbox {
    /// Rows per multi-row `INSERT`: 9 binds a row keeps a statement far below PostgreSQL's 65,535 and
    /// SQLite's 32,766.
    static let rowsPerStatement = 500
    /// Longer error texts are cut: they come from receivers and HTTP clients, and a row should not grow
    /// with them.
    static let maximumErrorLength = 2_000

    let engine: any DatabaseEngine

    /// Deliveries already stored (same id) are left as they are, so an `enqueue` retried after an
    /// uncertain failure queues nothing twice.
    public func enqueue(_ deliveries: [WebhookDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        try await engine.transaction { sql in
            for start in stride(from: 0, to: deliveries.count, by: Self.rowsPerStatement) {
                var statement = SQLQueryString("INSERT INTO webhook_deliveries (\(WebhookDeliveryRows.columns), status) VALUES ")
                for index in start..<min(start + Self.rowsPerStatement, deliveries.count) {
                    if index > start { statement += ", " }
                    statement += WebhookDeliveryRows.values(deliveries[index])
                }
                statement += " ON CONFLICT (id) DO NOTHING"
                try await sql.raw(statement).run()
            }
        }
    }

    /// Oldest due first (ties by id). The deliveries returned carry their lease's end as `nextAttemptAt`.
    public func claimDue(at time: Date, limit: Int, leaseUntil: Date, excludingWebhooks: Set<UUID>) async throws -> [WebhookDelivery] {
        guard limit > 0 else { return [] }
        let lease = StoredTime.microseconds(leaseUntil)
        return try await engine.transaction { sql in
            var query = SQLQueryString("""
                SELECT \(WebhookDeliveryRows.columns) FROM webhook_deliveries
                WHERE status = 'pending' AND next_attempt_at <= \(bind: StoredTime.microseconds(time))
                """)
            if !excludingWebhooks.isEmpty {
                query += " AND webhook_id NOT IN ("
                for (index, webhook) in excludingWebhooks.enumerated() {
                    query += index == 0 ? "\(bind: StoredUUID.data(webhook))" : ", \(bind: StoredUUID.data(webhook))"
                }
                query += ")"
            }
            query += " ORDER BY next_attempt_at, id LIMIT \(bind: Int64(limit))"
            if engine.flavor == .postgres { query += " FOR UPDATE SKIP LOCKED" }
            var claimed = try await sql.raw(query).all().map(WebhookDeliveryRows.record)
            guard !claimed.isEmpty else { return [] }

            var update = SQLQueryString("UPDATE webhook_deliveries SET next_attempt_at = \(bind: lease) WHERE id IN (")
            for (index, delivery) in claimed.enumerated() {
                update += index == 0 ? "\(bind: StoredUUID.data(delivery.id))" : ", \(bind: StoredUUID.data(delivery.id))"
            }
            update += ")"
            try await sql.raw(update).run()
            for index in claimed.indices { claimed[index].nextAttemptAt = leaseUntil }
            return claimed
        }
    }

    /// Deletes the row; a delivery already marked dead stays dead.
    public func markDelivered(_ ids: [UUID]) async throws {
        guard !ids.isEmpty else { return }
        try await engine.transaction { sql in
            for start in stride(from: 0, to: ids.count, by: 500) {
                var statement = SQLQueryString("DELETE FROM webhook_deliveries WHERE status = 'pending' AND id IN (")
                for (index, id) in ids[start..<min(start + 500, ids.count)].enumerated() {
                    if index > 0 { statement += ", " }
                    statement += "\(bind: StoredUUID.data(id))"
                }
                statement += ")"
                try await sql.raw(statement).run()
            }
        }
    }

    public func reschedule(_ id: UUID, attempts: Int, nextAttemptAt: Date, lastError: String) async throws {
        try await engine.transaction { sql in
            try await sql.raw("""
                UPDATE webhook_deliveries SET attempts = \(bind: Int64(attempts)), next_attempt_at = \(bind: StoredTime.microseconds(nextAttemptAt)),
                    last_error = \(bind: Self.bounded(lastError))
                WHERE id = \(bind: StoredUUID.data(id)) AND status = 'pending'
                """).run()
        }
    }

    /// Keeps the row, with the reason as its last error.
    public func markDead(_ id: UUID, attempts: Int, reason: String) async throws {
        try await engine.transaction { sql in
            try await sql.raw("""
                UPDATE webhook_deliveries SET status = 'dead', attempts = \(bind: Int64(attempts)), last_error = \(bind: Self.bounded(reason))
                WHERE id = \(bind: StoredUUID.data(id))
                """).run()
        }
    }

    private static func bounded(_ text: String) -> String {
        text.count <= maximumErrorLength ? text : String(text.prefix(maximumErrorLength))
    }
}
