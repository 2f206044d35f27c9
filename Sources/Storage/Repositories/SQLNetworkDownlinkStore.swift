import BackendInterfaces
import Foundation
import LoRaWAN
import NetworkServer
import SQLKit

/// Application downlinks queued in the Network Server (`ns_downlink_queue`), on SQLite or PostgreSQL.
/// The FRMPayloads arrive encrypted under the AppSKey and are stored as they are.
public struct SQLNetworkDownlinkStore: NetworkDownlinkStore {
    static let table = "ns_downlink_queue"
    static let columns = SQLQueryString("id, dev_eui, session_key_id, f_port, f_cnt, frm_payload, confirmed")

    let engine: any DatabaseEngine

    /// Idempotent by id: enqueuing a downlink again (a retried hand-off) keeps the first.
    public func enqueue(_ downlink: ApplicationDownlink) async throws {
        try await engine.transaction { sql in
            try await sql.raw("""
                INSERT INTO ns_downlink_queue (\(Self.columns)) VALUES (\(bind: StoredUUID.data(downlink.id)), \
                \(bind: downlink.devEUI.description), \(bind: Data(downlink.sessionKeyID)), \(bind: Int64(downlink.fPort)), \
                \(bind: Int64(downlink.fCnt)), \(bind: Data(downlink.encryptedFRMPayload)), \(bind: Int64(downlink.confirmed ? 1 : 0)))
                ON CONFLICT (id) DO NOTHING
                """).run()
        }
    }

    /// In FCnt order; downlinks with the same FCnt in the order they were queued.
    public func queued(devEUI: EUI64) async throws -> [ApplicationDownlink] {
        try await engine.read { sql in
            try await sql.raw("""
                SELECT \(Self.columns) FROM ns_downlink_queue WHERE dev_eui = \(bind: devEUI.description) ORDER BY f_cnt, seq
                """).all().map(Self.downlink)
        }
    }

    public func remove(id: UUID) async throws -> Bool {
        try await engine.transaction { sql in
            try await sql.raw("DELETE FROM ns_downlink_queue WHERE id = \(bind: StoredUUID.data(id)) RETURNING seq").first() != nil
        }
    }

    public func clear(devEUI: EUI64) async throws -> Int {
        try await engine.transaction { sql in
            try await sql.raw("DELETE FROM ns_downlink_queue WHERE dev_eui = \(bind: devEUI.description) RETURNING seq").all().count
        }
    }

    private static func downlink(_ row: any SQLRow) throws -> ApplicationDownlink {
        guard let fPort = UInt8(exactly: try row.integer("f_port", table: table)) else {
            throw StorageError.malformedRow(table: table, column: "f_port", reason: "not an FPort")
        }
        guard let fCnt = UInt32(exactly: try row.integer("f_cnt", table: table)) else {
            throw StorageError.malformedRow(table: table, column: "f_cnt", reason: "not a 32-bit counter")
        }
        return ApplicationDownlink(
            id: try row.uuid("id", table: table),
            devEUI: try row.eui("dev_eui", table: table),
            sessionKeyID: try row.bytes("session_key_id", table: table),
            fPort: fPort,
            fCnt: fCnt,
            encryptedFRMPayload: try row.bytes("frm_payload", table: table),
            confirmed: try row.integer("confirmed", table: table) != 0
        )
    }
}
