import Foundation
import JoinServer
import LoRaWAN
import SQLKit

/// The Join Server's `join_device_audit_events` table: appended in the same transaction as the change
/// each event records, never updated nor deleted (triggers from migration 5 refuse both).
enum DeviceAuditEventRows {
    static let table = "join_device_audit_events"

    static let columns = SQLQueryString("id, time, actor, action, dev_eui, detail")

    /// Appends `events` in one multi-row `INSERT`.
    static func append(_ events: [DeviceAuditEvent], on sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        var statement = SQLQueryString("INSERT INTO join_device_audit_events (time, actor, action, dev_eui, detail) VALUES ")
        for (index, event) in events.enumerated() {
            if index > 0 { statement += ", " }
            statement += """
                (\(bind: StoredTime.microseconds(event.time)), \(bind: event.actor), \(bind: event.action.rawValue), \
                \(bind: event.devEUI?.description), \(bind: event.detail))
                """
        }
        try await sql.raw(statement).run()
    }

    static func record(_ row: any SQLRow) throws -> DeviceAuditEvent {
        let actionText = try row.text("action", table: table)
        guard let action = DeviceAuditAction(rawValue: actionText) else {
            throw StorageError.malformedRow(table: table, column: "action", reason: "unknown action '\(actionText)'")
        }
        return DeviceAuditEvent(
            id: try row.integer("id", table: table),
            time: try row.time("time", table: table),
            actor: try row.text("actor", table: table),
            action: action,
            devEUI: try row.decodeNil(column: "dev_eui") ? nil : row.eui("dev_eui", table: table),
            detail: try row.text("detail", table: table)
        )
    }
}
