import Foundation
import LoRaWAN
import NetworkServer
import SQLKit

/// The Network Server's devices on SQLite or PostgreSQL (`ns_devices`). A device holds no key, so
/// nothing here is sealed.
public struct SQLNetworkDeviceRegistry: NetworkDeviceRegistry {
    static let table = "ns_devices"
    static let columns = SQLQueryString("dev_eui, join_eui, mac_version, region, device_class, activation, created_at, desired_mac_settings")

    let engine: any DatabaseEngine

    public func device(_ devEUI: EUI64) async throws -> NetworkDevice? {
        try await engine.read { sql in
            try await sql.raw("SELECT \(Self.columns) FROM ns_devices WHERE dev_eui = \(bind: devEUI.description)").first().map(Self.device)
        }
    }

    /// Replaces every field of an existing device, `createdAt` included; its session is another row.
    public func save(_ device: NetworkDevice) async throws {
        try await engine.transaction { sql in
            try await sql.raw("""
                INSERT INTO ns_devices (\(Self.columns)) VALUES (\(bind: device.devEUI.description), \(bind: device.joinEUI?.description), \
                \(bind: device.macVersion.rawValue), \(bind: device.region?.rawValue), \(bind: Int64(device.deviceClass.rawValue)), \
                \(bind: device.activation.rawValue), \(bind: StoredTime.microseconds(device.createdAt)), \
                \(bind: DesiredMACSettingsDocument.encode(device.desiredMACSettings).map { Data($0) }))
                ON CONFLICT (dev_eui) DO UPDATE SET join_eui = excluded.join_eui, mac_version = excluded.mac_version, \
                region = excluded.region, device_class = excluded.device_class, activation = excluded.activation, \
                created_at = excluded.created_at, desired_mac_settings = excluded.desired_mac_settings
                """).run()
        }
    }

    /// One column of one row: the uplink path asks this for every accepted frame.
    public func desiredMACSettings(of devEUI: EUI64) async throws -> DesiredMACSettings {
        try await engine.read { sql in
            let row = try await sql.raw("""
                SELECT desired_mac_settings FROM ns_devices WHERE dev_eui = \(bind: devEUI.description)
                """).first()
            return try row.map(Self.desiredMACSettings) ?? DesiredMACSettings()
        }
    }

    /// One transaction: the device, its session and its queued downlinks (the tables have no foreign
    /// keys to cascade along, see migration 7).
    public func delete(_ devEUI: EUI64) async throws -> Bool {
        try await engine.transaction { sql in
            let existed = try await sql.raw("DELETE FROM ns_devices WHERE dev_eui = \(bind: devEUI.description) RETURNING dev_eui").first() != nil
            try await sql.raw("DELETE FROM ns_sessions WHERE dev_eui = \(bind: devEUI.description)").run()
            try await sql.raw("DELETE FROM ns_downlink_queue WHERE dev_eui = \(bind: devEUI.description)").run()
            return existed
        }
    }

    /// A page in DevEUI order, after `after` when given; `limit` below 1 returns nothing.
    public func devices(after: EUI64?, limit: Int) async throws -> [NetworkDevice] {
        guard limit > 0 else { return [] }
        return try await engine.read { sql in
            var query = SQLQueryString("SELECT \(Self.columns) FROM ns_devices")
            if let after { query += " WHERE dev_eui > \(bind: after.description)" }
            query += " ORDER BY dev_eui LIMIT \(bind: Int64(limit))"
            return try await sql.raw(query).all().map(Self.device)
        }
    }

    private static func device(_ row: any SQLRow) throws -> NetworkDevice {
        let deviceClassValue = try row.integer("device_class", table: table)
        guard let deviceClass = UInt8(exactly: deviceClassValue).flatMap(DeviceModeClass.init(rawValue:)) else {
            throw StorageError.malformedRow(table: table, column: "device_class", reason: "not class A (0) or C (2)")
        }
        return NetworkDevice(
            devEUI: try row.eui("dev_eui", table: table),
            joinEUI: try row.decodeNil(column: "join_eui") ? nil : try row.eui("join_eui", table: table),
            macVersion: try row.textRawValue("mac_version", table: table, as: MACVersion.self),
            region: try row.decodeNil(column: "region") ? nil : try row.textRawValue("region", table: table, as: Region.self),
            deviceClass: deviceClass,
            activation: try row.textRawValue("activation", table: table, as: NetworkSession.Activation.self),
            createdAt: try row.time("created_at", table: table),
            desiredMACSettings: try desiredMACSettings(row)
        )
    }

    private static func desiredMACSettings(_ row: any SQLRow) throws -> DesiredMACSettings {
        if try row.decodeNil(column: DesiredMACSettingsDocument.column) { return DesiredMACSettings() }
        return try DesiredMACSettingsDocument.decode(try row.bytes(DesiredMACSettingsDocument.column, table: table))
    }
}
