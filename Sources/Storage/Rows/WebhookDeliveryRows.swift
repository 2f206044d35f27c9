import ApplicationServer
import Foundation
import SQLKit

/// The `webhook_deliveries` table's columns and row mapping.
enum WebhookDeliveryRows {
    static let table = "webhook_deliveries"

    /// The delivery's columns (not `status` nor `last_error`), for `SELECT` and `INSERT` alike.
    static let columns = SQLQueryString("id, application_id, webhook_id, event_type, body, queued_at, attempts, next_attempt_at")

    /// A pending delivery's values for `columns` and `status`, in order (9 binds).
    static func values(_ delivery: WebhookDelivery) -> SQLQueryString {
        """
        (\(bind: StoredUUID.data(delivery.id)), \(bind: delivery.applicationID.rawValue), \(bind: StoredUUID.data(delivery.webhookID)), \
        \(bind: delivery.eventType), \(bind: Data(delivery.body)), \(bind: StoredTime.microseconds(delivery.queuedAt)), \
        \(bind: Int64(delivery.attempts)), \(bind: StoredTime.microseconds(delivery.nextAttemptAt)), 'pending')
        """
    }

    static func record(_ row: any SQLRow) throws -> WebhookDelivery {
        let applicationText = try row.text("application_id", table: table)
        guard let applicationID = ApplicationID(applicationText) else {
            throw StorageError.malformedRow(table: table, column: "application_id", reason: "not an application id")
        }
        guard let attempts = Int(exactly: try row.integer("attempts", table: table)) else {
            throw StorageError.malformedRow(table: table, column: "attempts", reason: "out of range")
        }
        return WebhookDelivery(
            id: try row.uuid("id", table: table),
            applicationID: applicationID,
            webhookID: try row.uuid("webhook_id", table: table),
            eventType: try row.text("event_type", table: table),
            body: try row.bytes("body", table: table),
            queuedAt: try row.time("queued_at", table: table),
            attempts: attempts,
            nextAttemptAt: try row.time("next_attempt_at", table: table)
        )
    }
}
