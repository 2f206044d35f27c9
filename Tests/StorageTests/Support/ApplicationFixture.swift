import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit
@testable import Storage

/// Application Server records for the storage tests. Times are whole seconds, so records compare equal
/// after a round trip; keys and secrets are random, so a dump can be searched for them.
enum ApplicationFixture {
    static func devEUI(_ n: UInt64) -> EUI64 { EUI64(0x70B3_D57E_D000_0000 + n) }

    static func appSKey() -> AppSKey { AppSKey(bytes: Fixture.randomBytes(16))! }

    static func session(_ n: UInt64, keyID: UInt8, at seconds: Int = 0) -> ApplicationSession {
        ApplicationSession(
            devEUI: devEUI(n), devAddr: DevAddr(0x2600_0000 + UInt32(n)), sessionKeyID: Array(repeating: keyID, count: 16), appSKey: appSKey(),
            createdAt: Fixture.time(seconds))
    }

    static func applicationID(_ text: String) -> ApplicationID { ApplicationID(text)! }

    static func webhook(_ url: String) -> Webhook { try! Webhook(id: UUID(), url: URL(string: url)!) }

    static func application(_ id: String, name: String? = nil, webhooks: Int = 2) -> Application {
        Application(
            id: applicationID(id), name: name ?? "application \(id)",
            webhooks: (0..<webhooks).map { webhook("https://hooks.example.com/\(id)/\($0)?token=t\($0)") },
            webhookSecret: .generate(), createdAt: Fixture.epoch)
    }

    static func delivery(
        application: String = "fleet", webhook: UUID, due seconds: Int, queued: Int = 0, body: String = "{\"type\":\"uplink\"}"
    ) -> WebhookDelivery {
        WebhookDelivery(
            id: UUID(), applicationID: applicationID(application), webhookID: webhook, eventType: "uplink", body: Array(body.utf8),
            queuedAt: Fixture.time(queued), nextAttemptAt: Fixture.time(seconds))
    }
}

/// The number of rows of `table` (meeting `condition` when given).
func countRows(_ table: String, in store: GatehouseStore, where condition: SQLQueryString? = nil) async throws -> Int {
    try await store.engine.read { sql in
        var query = SQLQueryString("SELECT COUNT(*) AS n FROM \(ident: table)")
        if let condition {
            query += " WHERE "
            query += condition
        }
        return Int(try await sql.raw(query).first()?.decode(column: "n", as: Int64.self) ?? 0)
    }
}
