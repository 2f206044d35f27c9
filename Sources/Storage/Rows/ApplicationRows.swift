import ApplicationServer
import Foundation
import SQLKit

/// The `applications` and `application_webhooks` tables' row mapping, and how a webhook secret is
/// sealed into them.
///
/// An application is read with its webhooks in one statement (`applications LEFT JOIN
/// application_webhooks`, one row per webhook or one row for none), whose columns are ``columns``.
enum ApplicationRows {
    static let table = "applications"
    static let webhookTable = "application_webhooks"

    /// `applications AS a LEFT JOIN application_webhooks AS w`'s columns, named apart.
    static let columns = SQLQueryString("""
        a.id AS application_id, a.name AS name, a.webhook_secret_sealed AS webhook_secret_sealed, \
        a.webhook_secret_kek_id AS webhook_secret_kek_id, a.created_at AS created_at, w.id AS webhook_id, w.url AS webhook_url
        """)

    /// Seals the webhook secret for the application's row, before the transaction starts.
    static func seal(_ application: Application, with sealer: SecretSealer) throws -> SealedSecret {
        try sealer.seal(Array(application.webhookSecret.exportText().utf8), for: SealedColumn.webhookSecret.binding(row: application.id.rawValue))
    }

    /// The multi-row `INSERT` of an application's webhooks, in order; `nil` when it has none.
    static func insertWebhooks(of application: Application) -> SQLQueryString? {
        guard !application.webhooks.isEmpty else { return nil }
        var statement = SQLQueryString("INSERT INTO application_webhooks (application_id, position, id, url) VALUES ")
        for (position, webhook) in application.webhooks.enumerated() {
            if position > 0 { statement += ", " }
            statement += """
                (\(bind: application.id.rawValue), \(bind: Int64(position)), \(bind: StoredUUID.data(webhook.id)), \
                \(bind: webhook.url.absoluteString))
                """
        }
        return statement
    }

    /// An application as read, before its secret is opened (which happens outside the connection's lease).
    struct Stored: Sendable {
        let id: ApplicationID
        let name: String
        let sealedSecret: SealedSecret
        let createdAt: Date
        var webhooks: [Webhook]

        /// Folds the joined rows of one application (in webhook order) into one; `nil` for no rows.
        init?(_ rows: [any SQLRow]) throws {
            guard let first = rows.first else { return nil }
            let text = try first.text("application_id", table: table)
            guard let id = ApplicationID(text) else {
                throw StorageError.malformedRow(table: table, column: "id", reason: "not an application id")
            }
            self.id = id
            name = try first.text("name", table: table)
            sealedSecret = SealedSecret(
                keyID: try first.text("webhook_secret_kek_id", table: table), box: try first.bytes("webhook_secret_sealed", table: table))
            createdAt = try first.time("created_at", table: table)
            webhooks = try rows.compactMap(ApplicationRows.webhook)
        }

        func record(opening sealer: SecretSealer) throws -> Application {
            let plaintext = try sealer.open(sealedSecret, for: SealedColumn.webhookSecret.binding(row: id.rawValue))
            guard let text = String(validating: plaintext, as: UTF8.self), let secret = WebhookSecret(text) else {
                throw StorageError.malformedRow(table: table, column: "webhook_secret_sealed", reason: "not a webhook secret")
            }
            return Application(id: id, name: name, webhooks: webhooks, webhookSecret: secret, createdAt: createdAt)
        }
    }

    /// The webhook of a joined row; `nil` for the row of an application without webhooks.
    private static func webhook(_ row: any SQLRow) throws -> Webhook? {
        guard !(try row.decodeNil(column: "webhook_id")) else { return nil }
        let id = try row.uuid("webhook_id", table: webhookTable)
        guard let url = URL(string: try row.text("webhook_url", table: webhookTable)), let webhook = try? Webhook(id: id, url: url) else {
            throw StorageError.malformedRow(table: webhookTable, column: "url", reason: "not an http or https URL with a host")
        }
        return webhook
    }
}
