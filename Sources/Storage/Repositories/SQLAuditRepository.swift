import Foundation
import GatewayPKI
import LoRaWAN
import SQLKit

/// The append-only audit log. There is no update or delete here, and the database refuses them too
/// (triggers from migration 3).
public struct SQLAuditRepository: AuditRepository {
    let engine: any DatabaseEngine

    public func append(_ event: AuditEvent) async throws {
        try await engine.transaction { sql in try await AuditEventRows.append([event], on: sql) }
    }

    /// Events in time order (oldest first), of one gateway and inside `[from, to]` when given, at most `limit`.
    public func events(gateway: EUI64?, from: Date?, to: Date?, limit: Int) async throws -> [AuditEvent] {
        try await engine.read { sql in
            var query = SQLQueryString("SELECT \(AuditEventRows.columns) FROM audit_events WHERE 1 = 1")
            if let gateway { query += " AND gateway_eui = \(bind: gateway.description)" }
            if let from { query += " AND time >= \(bind: StoredTime.microseconds(from))" }
            if let to { query += " AND time <= \(bind: StoredTime.microseconds(to))" }
            query += " ORDER BY time, id LIMIT \(bind: Int64(max(0, limit)))"
            return try await sql.raw(query).all().map(AuditEventRows.record)
        }
    }
}
