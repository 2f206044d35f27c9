import Foundation
import GatewayPKI
import LoRaWAN
import SQLKit

/// The `audit_events` table's statements, shared by every repository that appends events in the same
/// transaction as the change they record, and its row mapping.
enum AuditEventRows {
    static let table = "audit_events"

    static let columns = SQLQueryString("id, time, actor, action, gateway_eui, serial, fingerprint_sha256, detail")

    /// Appends `events` in one multi-row `INSERT`: one round trip however many.
    static func append(_ events: [AuditEvent], on sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        var statement = SQLQueryString("INSERT INTO audit_events (time, actor, action, gateway_eui, serial, fingerprint_sha256, detail) VALUES ")
        for (index, event) in events.enumerated() {
            if index > 0 { statement += ", " }
            statement += """
                (\(bind: StoredTime.microseconds(event.time)), \(bind: event.actor), \(bind: event.action.rawValue), \
                \(bind: event.gatewayEUI?.description), \(bind: event.serial), \(bind: event.fingerprintSHA256), \(bind: event.detail))
                """
        }
        try await sql.raw(statement).run()
    }

    /// The `certificate.revoked` events for certificates revoked as a side effect (re-issue, gateway
    /// deletion), attributed to the actor of the change that caused them.
    static func revocationEvents(
        for certificates: [CertificateRecord], actor: String, at time: Date, because cause: String
    ) -> [AuditEvent] {
        certificates.map { certificate in
            AuditEvent(
                time: time, actor: actor, action: .certificateRevoked, gatewayEUI: certificate.gatewayEUI,
                serial: certificate.serial, fingerprintSHA256: certificate.fingerprintSHA256,
                detail: "revoked (\(certificate.revocation?.reason.description ?? "unspecified")): \(cause)"
            )
        }
    }

    static func record(_ row: any SQLRow) throws -> AuditEvent {
        let actionText = try row.text("action", table: table)
        guard let action = AuditAction(rawValue: actionText) else {
            throw StorageError.malformedRow(table: table, column: "action", reason: "unknown action '\(actionText)'")
        }
        return AuditEvent(
            id: try row.integer("id", table: table),
            time: try row.time("time", table: table),
            actor: try row.text("actor", table: table),
            action: action,
            gatewayEUI: try row.decodeNil(column: "gateway_eui") ? nil : row.eui("gateway_eui", table: table),
            serial: try row.optionalText("serial", table: table),
            fingerprintSHA256: try row.optionalText("fingerprint_sha256", table: table),
            detail: try row.text("detail", table: table)
        )
    }
}
