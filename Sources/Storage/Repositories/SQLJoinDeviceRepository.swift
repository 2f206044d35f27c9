import BackendInterfaces
import Foundation
import JoinServer
import LoRaWAN
import SQLKit

/// The Join Server's devices, their nonce history and sessions, and the device audit log, on SQLite or
/// PostgreSQL. Root keys are stored only sealed under the key-encryption key, bound to the DevEUI, and
/// opened when read. Every change appends its audit event in the same transaction.
///
/// The join path, ``recordJoins(_:at:)``, is in `SQLJoinDeviceRepository+Joins.swift`.
public struct SQLJoinDeviceRepository: JoinDeviceRepository {
    /// Rows per multi-row `INSERT`: keeps a statement's bind count (11 per device) far below
    /// PostgreSQL's limit of 65,535.
    static let rowsPerStatement = 500

    let engine: any DatabaseEngine
    let sealer: SecretSealer

    public func insert(_ device: JoinDevice, audit: DeviceAuditEvent) async throws -> DeviceInsertOutcome {
        // Seal before the transaction: the write lock is held only for the statements.
        let sealed = try JoinDeviceRows.seal(device, with: sealer)
        return try await engine.transaction { sql in
            // ON CONFLICT DO NOTHING: a duplicate is an outcome, not a failed statement.
            let inserted = try await sql.raw("""
                INSERT INTO join_devices (\(JoinDeviceRows.columns)) VALUES \(JoinDeviceRows.values(device, sealed: sealed))
                ON CONFLICT (dev_eui) DO NOTHING
                RETURNING dev_eui
                """).first()
            guard inserted != nil else { return .duplicate }
            try await DeviceAuditEventRows.append([audit], on: sql)
            return .inserted
        }
    }

    /// All or nothing: every device is inserted with `ON CONFLICT DO NOTHING`, and when any was not (it
    /// existed, or its DevEUI appears twice in `devices`) the transaction is rolled back and those
    /// DevEUIs are returned, each once, in input order. The audit event is appended once for the batch.
    public func insertBatch(_ devices: [JoinDevice], audit: DeviceAuditEvent) async throws -> [EUI64] {
        guard !devices.isEmpty else { return [] }
        let sealed = try devices.map { try JoinDeviceRows.seal($0, with: sealer) }
        do {
            try await engine.transaction { sql in
                var conflicting: [EUI64] = []
                for start in stride(from: 0, to: devices.count, by: Self.rowsPerStatement) {
                    let chunk = start..<min(start + Self.rowsPerStatement, devices.count)
                    var statement = SQLQueryString("INSERT INTO join_devices (\(JoinDeviceRows.columns)) VALUES ")
                    for index in chunk {
                        if index > chunk.lowerBound { statement += ", " }
                        statement += JoinDeviceRows.values(devices[index], sealed: sealed[index])
                    }
                    statement += " ON CONFLICT (dev_eui) DO NOTHING RETURNING dev_eui"
                    var inserted = Set(try await sql.raw(statement).all().map { try $0.eui("dev_eui", table: JoinDeviceRows.table) })
                    for index in chunk where inserted.remove(devices[index].devEUI) == nil {
                        conflicting.append(devices[index].devEUI)
                    }
                }
                guard conflicting.isEmpty else { throw ImportConflict(devEUIs: conflicting) }
                try await DeviceAuditEventRows.append([audit], on: sql)
            }
            return []
        } catch let conflict as ImportConflict {
            var seen: Set<EUI64> = []
            return conflict.devEUIs.filter { seen.insert($0).inserted }
        }
    }

    public func device(_ devEUI: EUI64) async throws -> JoinDevice? {
        let stored = try await engine.read { sql in
            try await sql.raw("SELECT \(JoinDeviceRows.columns) FROM join_devices WHERE dev_eui = \(bind: devEUI.description)")
                .first().map(JoinDeviceRows.Stored.init)
        }
        return try stored?.record(opening: sealer)
    }

    /// A page of devices in DevEUI order, after `after` when given; `limit` below 1 returns nothing.
    public func devices(owner: String?, limit: Int, after: EUI64?) async throws -> [JoinDevice] {
        guard limit > 0 else { return [] }
        let stored = try await engine.read { sql in
            var query = SQLQueryString("SELECT \(JoinDeviceRows.columns) FROM join_devices WHERE 1 = 1")
            if let owner { query += " AND owner = \(bind: owner)" }
            if let after { query += " AND dev_eui > \(bind: after.description)" }
            query += " ORDER BY dev_eui LIMIT \(bind: Int64(limit))"
            return try await sql.raw(query).all().map(JoinDeviceRows.Stored.init)
        }
        return try stored.map { try $0.record(opening: sealer) }
    }

    /// Keeps `createdAt` and the nonce state; replaces every other field.
    public func update(_ device: JoinDevice, audit: DeviceAuditEvent) async throws -> Bool {
        let sealed = try JoinDeviceRows.seal(device, with: sealer)
        return try await engine.transaction { sql in
            let updated = try await sql.raw("""
                UPDATE join_devices SET join_eui = \(bind: device.joinEUI.description), mac_version = \(bind: device.macVersion.rawValue),
                    root_keys_sealed = \(bind: sealed.map { Data($0.box) }), root_keys_kek_id = \(bind: sealed?.keyID),
                    owner = \(bind: device.owner), claim_code_hash = \(bind: device.claimCodeHash.map { Data($0) }),
                    home_net_id = \(bind: device.homeNetID?.description), as_id = \(bind: device.applicationServerID?.rawValue),
                    transferred_at = \(bind: device.transferredAt.map(StoredTime.microseconds))
                WHERE dev_eui = \(bind: device.devEUI.description)
                RETURNING dev_eui
                """).first()
            guard updated != nil else { return false }
            try await DeviceAuditEventRows.append([audit], on: sql)
            return true
        }
    }

    /// Only a successful claim appends `audit`; the caller records a refusal with ``appendAudit(_:)``.
    /// The code hash is compared in constant time.
    public func claim(
        _ devEUI: EUI64, joinEUI: EUI64, claimCodeHash: [UInt8], owner: String, audit: DeviceAuditEvent
    ) async throws -> ClaimOutcome {
        let step: ClaimStep = try await engine.transaction { sql in
            // Locked on PostgreSQL, so two instances claiming one device take turns and the second sees an owner.
            guard let row = try await sql.raw("""
                SELECT \(JoinDeviceRows.columns) FROM join_devices
                WHERE dev_eui = \(bind: devEUI.description) AND join_eui = \(bind: joinEUI.description) \(SQLLockingClause.update)
                """).first()
            else { return .refused(.unknownDevice) }
            var stored = try JoinDeviceRows.Stored(row)
            guard stored.device.owner == nil else { return .refused(.alreadyOwned) }
            guard let expected = stored.device.claimCodeHash, APIKeyToken.constantTimeEqual(expected, claimCodeHash) else {
                return .refused(.wrongCode)
            }
            try await sql.raw("""
                UPDATE join_devices SET owner = \(bind: owner), claim_code_hash = NULL WHERE dev_eui = \(bind: devEUI.description)
                """).run()
            try await DeviceAuditEventRows.append([audit], on: sql)
            stored.device.owner = owner
            stored.device.claimCodeHash = nil
            return .claimed(stored)
        }
        switch step {
        case .claimed(let stored): return .claimed(try stored.record(opening: sealer))
        case .refused(let outcome): return outcome
        }
    }

    /// The foreign keys' `ON DELETE CASCADE` removes the device's used DevNonces and sessions with it.
    public func delete(_ devEUI: EUI64, audit: DeviceAuditEvent) async throws -> Bool {
        try await engine.transaction { sql in
            guard try await sql.raw("DELETE FROM join_devices WHERE dev_eui = \(bind: devEUI.description) RETURNING dev_eui").first() != nil
            else { return false }
            try await DeviceAuditEventRows.append([audit], on: sql)
            return true
        }
    }

    public func resetDevNonces(_ devEUI: EUI64, audit: DeviceAuditEvent) async throws -> Bool {
        try await engine.transaction { sql in
            guard try await sql.raw("""
                UPDATE join_devices SET last_dev_nonce = NULL, last_rj_count1 = NULL WHERE dev_eui = \(bind: devEUI.description)
                RETURNING dev_eui
                """).first() != nil
            else { return false }
            try await sql.raw("DELETE FROM join_used_dev_nonces WHERE dev_eui = \(bind: devEUI.description)").run()
            try await DeviceAuditEventRows.append([audit], on: sql)
            return true
        }
    }

    public func lastJoinNonce(_ devEUI: EUI64) async throws -> JoinNonce? {
        try await engine.read { sql in
            guard let row = try await sql.raw("SELECT last_join_nonce FROM join_devices WHERE dev_eui = \(bind: devEUI.description)").first(),
                !(try row.decodeNil(column: "last_join_nonce"))
            else { return nil }
            return try Self.joinNonce(
                row.integer("last_join_nonce", table: JoinDeviceRows.table), table: JoinDeviceRows.table, column: "last_join_nonce")
        }
    }

    public func session(devEUI: EUI64, sessionKeyID: [UInt8]) async throws -> JoinSession? {
        try await engine.read { sql in
            try await sql.raw("""
                SELECT dev_eui, session_key_id, derivation, net_id, join_eui, nonce, join_nonce, created_at FROM join_sessions
                WHERE dev_eui = \(bind: devEUI.description) AND session_key_id = \(bind: Data(sessionKeyID))
                """).first().map(Self.session)
        }
    }

    /// Oldest first: the first `limit` events (`limit` below 1 returns nothing).
    public func auditEvents(devEUI: EUI64?, limit: Int) async throws -> [DeviceAuditEvent] {
        guard limit > 0 else { return [] }
        return try await engine.read { sql in
            var query = SQLQueryString("SELECT \(DeviceAuditEventRows.columns) FROM join_device_audit_events")
            if let devEUI { query += " WHERE dev_eui = \(bind: devEUI.description)" }
            query += " ORDER BY time, id LIMIT \(bind: Int64(limit))"
            return try await sql.raw(query).all().map(DeviceAuditEventRows.record)
        }
    }

    public func appendAudit(_ event: DeviceAuditEvent) async throws {
        try await engine.transaction { sql in try await DeviceAuditEventRows.append([event], on: sql) }
    }

    static func joinNonce(_ value: Int64, table: String, column: String) throws(StorageError) -> JoinNonce {
        guard let raw = UInt32(exactly: value), let nonce = JoinNonce(raw) else {
            throw .malformedRow(table: table, column: column, reason: "not a 24-bit JoinNonce")
        }
        return nonce
    }

    private static func session(_ row: any SQLRow) throws -> JoinSession {
        let table = "join_sessions"
        let derivationText = try row.text("derivation", table: table)
        guard let derivation = SessionDerivation(rawValue: derivationText) else {
            throw StorageError.malformedRow(table: table, column: "derivation", reason: "unknown derivation '\(derivationText)'")
        }
        guard let nonce = UInt16(exactly: try row.integer("nonce", table: table)) else {
            throw StorageError.malformedRow(table: table, column: "nonce", reason: "not a 16-bit nonce")
        }
        let parameters = SessionParameters(
            derivation: derivation, netID: try row.netID("net_id", table: table), joinEUI: try row.eui("join_eui", table: table), nonce: nonce
        )
        return JoinSession(
            sessionKeyID: try row.bytes("session_key_id", table: table),
            devEUI: try row.eui("dev_eui", table: table),
            parameters: parameters,
            joinNonce: try joinNonce(row.integer("join_nonce", table: table), table: table, column: "join_nonce"),
            createdAt: try row.time("created_at", table: table)
        )
    }

    /// How a claim ended inside its transaction; the root keys are opened after it.
    private enum ClaimStep: Sendable {
        case claimed(JoinDeviceRows.Stored)
        case refused(ClaimOutcome)
    }

    /// Rolls back an import that met existing DevEUIs, carrying them out of the transaction.
    private struct ImportConflict: TransactionAbort {
        let devEUIs: [EUI64]
    }
}
