import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit

/// The `application_sessions` table's columns and row mapping, and how an AppSKey is sealed into it.
enum ApplicationSessionRows {
    static let table = "application_sessions"

    static let columns = SQLQueryString("id, dev_eui, session_key_id, dev_addr, app_s_key_sealed, app_s_key_kek_id, created_at, abp")

    /// The row's key: `<DevEUI>/<SessionKeyID in lower-case hex>`.
    static func id(devEUI: EUI64, sessionKeyID: [UInt8]) -> String {
        "\(devEUI)/\(Hex.encode(sessionKeyID))"
    }

    /// Seals the AppSKey for the session's row. Done before a transaction starts, so the write lock is
    /// held only for the statements.
    static func seal(_ session: ApplicationSession, id: String, with sealer: SecretSealer) throws -> SealedSecret {
        try sealer.seal(session.appSKey.exportBytes(), for: SealedColumn.appSKey.binding(row: id))
    }

    /// A row as read, before its AppSKey is opened (which happens outside the connection's lease).
    struct Stored: Sendable {
        let id: String
        let devEUI: EUI64
        let devAddr: DevAddr
        let sessionKeyID: [UInt8]
        let sealedAppSKey: SealedSecret
        let createdAt: Date
        let isABP: Bool

        init(_ row: any SQLRow) throws {
            id = try row.text("id", table: table)
            devEUI = try row.eui("dev_eui", table: table)
            guard let address = UInt32(exactly: try row.integer("dev_addr", table: table)) else {
                throw StorageError.malformedRow(table: table, column: "dev_addr", reason: "not a 32-bit DevAddr")
            }
            devAddr = DevAddr(address)
            sessionKeyID = try row.bytes("session_key_id", table: table)
            sealedAppSKey = SealedSecret(keyID: try row.text("app_s_key_kek_id", table: table), box: try row.bytes("app_s_key_sealed", table: table))
            createdAt = try row.time("created_at", table: table)
            isABP = try row.integer("abp", table: table) != 0
        }

        func record(opening sealer: SecretSealer) throws -> ApplicationSession {
            guard let appSKey = AppSKey(bytes: try sealer.open(sealedAppSKey, for: SealedColumn.appSKey.binding(row: id))) else {
                throw StorageError.malformedRow(table: table, column: "app_s_key_sealed", reason: "not a 16-byte key")
            }
            return ApplicationSession(devEUI: devEUI, devAddr: devAddr, sessionKeyID: sessionKeyID, appSKey: appSKey, createdAt: createdAt, isABP: isABP)
        }
    }
}
