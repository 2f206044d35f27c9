import Foundation
import JoinServer
import LoRaWAN
import SQLKit

/// The join path: deciding a batch of join and rejoin attempts as one group commit.
///
/// A batch is one transaction. Its attempts are grouped by device (all of a device's attempts in one
/// chunk, so its state is decided in one place) into chunks of about ``attemptsPerChunk`` attempts, and
/// each chunk costs at most five statements (1, 2, 4, 5, 6 below) however many attempts and devices it
/// holds:
///
/// 1. `SELECT ... FROM join_devices WHERE dev_eui IN (...) ORDER BY dev_eui FOR UPDATE`: the devices'
///    nonce state. On PostgreSQL the rows stay locked until commit, in DevEUI order, so instances
///    deciding joins for one device take turns and each sees the other's result; on SQLite
///    `BEGIN IMMEDIATE` already holds the only write lock.
/// 2. `SELECT ... FROM join_used_dev_nonces JOIN (VALUES (dev_eui, dev_nonce), ...)`: which of the
///    1.0.0-1.0.3 DevNonces asked about were used before (only when the chunk has such attempts).
/// 3. Swift decides each attempt in array order with `JoinNonceState` (pure), so a second attempt for
///    a device sees the first as if it came later.
/// 4. `INSERT INTO join_used_dev_nonces ... VALUES ...`: the accepted 1.0.x DevNonces.
/// 5. `UPDATE join_devices SET ... FROM (VALUES (dev_eui, join_nonce, dev_nonce, rj_count1), ...)`:
///    each device's final nonce state, one row per device.
/// 6. `INSERT INTO join_sessions ... VALUES ...`: one session per accepted attempt.
///
/// Refused attempts write nothing. The used-DevNonce primary key and the 24-bit JoinNonce check back
/// the rules in the database itself. `UPDATE ... FROM` needs SQLite 3.33 (SQLiteNIO bundles 3.5x).
extension SQLJoinDeviceRepository {
    /// Attempts per chunk: keeps the largest statement (sessions, 8 binds a row) near 8,000 binds.
    static let attemptsPerChunk = 1_000

    public func recordJoins(_ attempts: [JoinAttempt], at time: Date) async throws -> [JoinAttemptOutcome] {
        guard !attempts.isEmpty else { return [] }
        let chunks = Self.chunks(of: attempts)
        return try await engine.transaction { sql in
            var outcomes = [JoinAttemptOutcome](repeating: .unknownDevice, count: attempts.count)
            for chunk in chunks {
                for (index, outcome) in try await Self.record(chunk, of: attempts, at: time, on: sql) {
                    outcomes[index] = outcome
                }
            }
            return outcomes
        }
    }

    /// One device's attempts in a chunk: their indices in the batch, in order.
    struct DeviceAttempts: Sendable {
        let devEUI: EUI64
        var indices: [Int]
    }

    /// Groups the batch by device (in order of first appearance) and packs devices into chunks.
    static func chunks(of attempts: [JoinAttempt]) -> [[DeviceAttempts]] {
        var byDevice: [DeviceAttempts] = []
        var position: [EUI64: Int] = [:]
        for (index, attempt) in attempts.enumerated() {
            if let existing = position[attempt.devEUI] {
                byDevice[existing].indices.append(index)
            } else {
                position[attempt.devEUI] = byDevice.count
                byDevice.append(DeviceAttempts(devEUI: attempt.devEUI, indices: [index]))
            }
        }
        var chunks: [[DeviceAttempts]] = [[]]
        var count = 0
        for device in byDevice {
            if count >= attemptsPerChunk {
                chunks.append([])
                count = 0
            }
            chunks[chunks.count - 1].append(device)
            count += device.indices.count
        }
        return chunks
    }

    /// Reads, decides and writes one chunk; returns the outcome of each of its attempts.
    private static func record(
        _ chunk: [DeviceAttempts], of attempts: [JoinAttempt], at time: Date, on sql: any SQLDatabase
    ) async throws -> [(Int, JoinAttemptOutcome)] {
        var states = try await nonceStates(of: chunk.map(\.devEUI), on: sql)

        var asked: [(EUI64, UInt16)] = []
        for device in chunk where states[device.devEUI].map({ !$0.transferred }) == true {
            var nonces: Set<UInt16> = []
            for index in device.indices {
                if case .devNonce(let nonce, .neverReused) = attempts[index].nonce, nonces.insert(nonce.rawValue).inserted {
                    asked.append((device.devEUI, nonce.rawValue))
                }
            }
        }
        for (devEUI, nonce) in try await usedDevNonces(among: asked, on: sql) {
            states[devEUI]?.usedDevNonces.insert(nonce)
        }

        var outcomes: [(Int, JoinAttemptOutcome)] = []
        var newlyUsed: [(EUI64, UInt16)] = []
        var finalStates: [(EUI64, JoinNonceState)] = []
        var sessions: [(JoinAttempt, JoinNonce)] = []
        for device in chunk {
            guard var state = states[device.devEUI] else {
                outcomes += device.indices.map { ($0, .unknownDevice) }
                continue
            }
            var accepted = false
            for index in device.indices {
                let outcome = state.decide(attempts[index].nonce)
                outcomes.append((index, outcome))
                guard case .accepted(let joinNonce) = outcome else { continue }
                accepted = true
                sessions.append((attempts[index], joinNonce))
                if case .devNonce(let nonce, .neverReused) = attempts[index].nonce { newlyUsed.append((device.devEUI, nonce.rawValue)) }
            }
            if accepted { finalStates.append((device.devEUI, state)) }
        }

        try await insertUsedDevNonces(newlyUsed, on: sql)
        try await writeNonceStates(finalStates, on: sql)
        try await insertSessions(sessions, at: time, on: sql)
        return outcomes
    }

    /// Statement 1: the nonce state of those of `devices` that exist, locked on PostgreSQL.
    private static func nonceStates(of devices: [EUI64], on sql: any SQLDatabase) async throws -> [EUI64: JoinNonceState] {
        let table = JoinDeviceRows.table
        var statement = SQLQueryString("""
            SELECT dev_eui, transferred_at, last_dev_nonce, last_rj_count1, last_join_nonce FROM join_devices WHERE dev_eui IN (
            """)
        for (index, devEUI) in devices.sorted().enumerated() {
            statement += index == 0 ? "\(bind: devEUI.description)" : ", \(bind: devEUI.description)"
        }
        statement += ") ORDER BY dev_eui \(SQLLockingClause.update)"
        var states: [EUI64: JoinNonceState] = [:]
        for row in try await sql.raw(statement).all() {
            states[try row.eui("dev_eui", table: table)] = JoinNonceState(
                transferred: !(try row.decodeNil(column: "transferred_at")),
                lastDevNonce: try row.optionalUInt16("last_dev_nonce", table: table),
                lastRJCount1: try row.optionalUInt16("last_rj_count1", table: table),
                lastJoinNonce: try row.decodeNil(column: "last_join_nonce")
                    ? nil : joinNonce(row.integer("last_join_nonce", table: table), table: table, column: "last_join_nonce").rawValue
            )
        }
        return states
    }

    /// Statement 2: which of the (DevEUI, DevNonce) pairs are in `join_used_dev_nonces`.
    private static func usedDevNonces(among pairs: [(EUI64, UInt16)], on sql: any SQLDatabase) async throws -> [(EUI64, UInt16)] {
        guard !pairs.isEmpty else { return [] }
        let table = "join_used_dev_nonces"
        var statement = SQLQueryString("SELECT u.dev_eui, u.dev_nonce FROM (VALUES ")
        for (index, (devEUI, nonce)) in pairs.enumerated() {
            if index > 0 { statement += ", " }
            statement += "(\(bind: devEUI.description), \(bind: Int64(nonce)))"
        }
        statement += ") AS v JOIN join_used_dev_nonces AS u ON u.dev_eui = v.column1 AND u.dev_nonce = v.column2"
        return try await sql.raw(statement).all().map { row in
            guard let nonce = try row.optionalUInt16("dev_nonce", table: table) else {
                throw StorageError.malformedRow(table: table, column: "dev_nonce", reason: "NULL")
            }
            return (try row.eui("dev_eui", table: table), nonce)
        }
    }

    /// Statement 4.
    private static func insertUsedDevNonces(_ pairs: [(EUI64, UInt16)], on sql: any SQLDatabase) async throws {
        guard !pairs.isEmpty else { return }
        var statement = SQLQueryString("INSERT INTO join_used_dev_nonces (dev_eui, dev_nonce) VALUES ")
        for (index, (devEUI, nonce)) in pairs.enumerated() {
            if index > 0 { statement += ", " }
            statement += "(\(bind: devEUI.description), \(bind: Int64(nonce)))"
        }
        try await sql.raw(statement).run()
    }

    /// Statement 5. Every value is a bound `BIGINT` (-1 standing for NULL), so PostgreSQL types the
    /// `VALUES` columns without casts.
    private static func writeNonceStates(_ states: [(EUI64, JoinNonceState)], on sql: any SQLDatabase) async throws {
        guard !states.isEmpty else { return }
        var statement = SQLQueryString("""
            UPDATE join_devices SET last_join_nonce = v.column2, last_dev_nonce = NULLIF(v.column3, -1), \
            last_rj_count1 = NULLIF(v.column4, -1) FROM (VALUES 
            """)
        for (index, (devEUI, state)) in states.enumerated() {
            if index > 0 { statement += ", " }
            statement += """
                (\(bind: devEUI.description), \(bind: Int64(state.lastJoinNonce ?? 0)), \(bind: state.lastDevNonce.map(Int64.init) ?? -1), \
                \(bind: state.lastRJCount1.map(Int64.init) ?? -1))
                """
        }
        statement += ") AS v WHERE join_devices.dev_eui = v.column1"
        try await sql.raw(statement).run()
    }

    /// Statement 6; split only when one device brings thousands of attempts to a chunk.
    private static func insertSessions(_ sessions: [(JoinAttempt, JoinNonce)], at time: Date, on sql: any SQLDatabase) async throws {
        guard !sessions.isEmpty else { return }
        guard sessions.count <= attemptsPerChunk * 2 else {
            for start in stride(from: 0, to: sessions.count, by: attemptsPerChunk) {
                try await insertSessions(Array(sessions[start..<min(start + attemptsPerChunk, sessions.count)]), at: time, on: sql)
            }
            return
        }
        let createdAt = StoredTime.microseconds(time)
        var statement = SQLQueryString("""
            INSERT INTO join_sessions (dev_eui, session_key_id, derivation, net_id, join_eui, nonce, join_nonce, created_at) VALUES 
            """)
        for (index, (attempt, joinNonce)) in sessions.enumerated() {
            if index > 0 { statement += ", " }
            let session = attempt.session
            statement += """
                (\(bind: attempt.devEUI.description), \(bind: Data(attempt.sessionKeyID)), \(bind: session.derivation.rawValue), \
                \(bind: session.netID.description), \(bind: session.joinEUI.description), \(bind: Int64(session.nonce)), \
                \(bind: Int64(joinNonce.rawValue)), \(bind: createdAt))
                """
        }
        try await sql.raw(statement).run()
    }
}

extension SQLRow {
    func optionalUInt16(_ column: String, table: String) throws -> UInt16? {
        if try decodeNil(column: column) { return nil }
        guard let value = UInt16(exactly: try integer(column, table: table)) else {
            throw StorageError.malformedRow(table: table, column: column, reason: "not a 16-bit value")
        }
        return value
    }
}
