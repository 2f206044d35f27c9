import JoinServer
import LoRaWAN
import SQLKit

extension SQLJoinDeviceRepository {
    /// One `SELECT ... WHERE dev_eui IN (...)` for many devices: the Join Server gathers the lookups of
    /// concurrent joins into one read, so a burst costs one trip to a reader instead of one each.
    public func devices(_ devEUIs: [EUI64]) async throws -> [JoinDevice] {
        guard !devEUIs.isEmpty else { return [] }
        let stored = try await engine.read { sql in
            var query = SQLQueryString("SELECT \(JoinDeviceRows.columns) FROM join_devices WHERE dev_eui IN (")
            for (index, devEUI) in Set(devEUIs).enumerated() {
                query += index == 0 ? "\(bind: devEUI.description)" : ", \(bind: devEUI.description)"
            }
            query += ")"
            return try await sql.raw(query).all().map(JoinDeviceRows.Stored.init)
        }
        return try stored.map { try $0.record(opening: sealer) }
    }
}
