import Foundation
import LoRaWAN
import NetworkServer
import SQLKit

/// The uplink path: storing a batch of changed sessions as one group commit, each only if no counter
/// went backwards (DESIGN.md invariant 7).
///
/// A batch is one transaction of multi-row statements:
///
/// ```sql
/// UPDATE ns_sessions SET f_cnt_up = NULLIF(v.column3, -1), ... FROM (VALUES (dev_eui, session_key_id, ...), ...) AS v
/// WHERE ns_sessions.dev_eui = v.column1 AND ns_sessions.session_key_id = v.column2
///   AND (ns_sessions.f_cnt_up IS NULL OR ns_sessions.f_cnt_up < v.column3     -- a new uplink: strictly after
///        OR (v.column13 = 0 AND ns_sessions.f_cnt_up <= v.column3))          -- other changes: not behind
///   AND COALESCE(ns_sessions.f_cnt_down, -1) <= v.column6 AND ... -- NFCntDown, AFCntDown
/// RETURNING dev_eui
/// ```
///
/// The guard is in the `WHERE` of the statement that writes, so it is decided by the database: on
/// PostgreSQL an instance whose update waits for another's row lock re-evaluates it against the
/// committed row (READ COMMITTED's re-check), and an update that lost is simply not returned. Every
/// value is a bound `BIGINT` (-1 standing for NULL, which no 32-bit counter is) or `BYTEA`/`BLOB`
/// (empty standing for NULL), so PostgreSQL types the `VALUES` columns without casts.
///
/// Two statement shapes: the common uplink (`macStateChanged == false`) writes the counters, ADR and
/// the awaited confirmed downlink, all small; a MAC change also writes DevAddr and the `mac_state`
/// document. A device that appears several times in a batch has its updates in successive statements
/// ("rounds"), in batch order, because one multi-row `UPDATE ... FROM` may apply only one of several
/// rows that match the same target row.
extension SQLNetworkSessionStore {
    /// Rows per statement: 15 binds a row keeps a statement near 7,500 binds, far below PostgreSQL's
    /// 65,535 and SQLite's 32,766.
    static let rowsPerStatement = 500

    public func update(_ updates: [NetworkSessionUpdate]) async throws -> [Bool] {
        guard !updates.isEmpty else { return [] }
        // Encode and plan before the transaction: the write lock is held only for the statements.
        let rows = updates.map(UpdateRow.init)
        let statements = Self.statementPlan(rows, rounds: Self.rounds(of: updates))
        return try await engine.transaction { sql in
            var outcomes = [Bool](repeating: false, count: updates.count)
            for (indices, withMACState) in statements {
                let applied = try await Self.write(indices.map { rows[$0] }, withMACState: withMACState, on: sql)
                for index in indices where applied.contains(rows[index].devEUI) { outcomes[index] = true }
            }
            return outcomes
        }
    }

    /// The statements to run, in order, each as the updates it holds: per round, the counter-only
    /// updates then those with MAC state, in DevEUI order (so PostgreSQL instances updating overlapping
    /// devices take the rows' locks in much the same order; a deadlock that still happens is retried),
    /// at most `rowsPerStatement` each.
    private static func statementPlan(_ rows: [UpdateRow], rounds: [[Int]]) -> [(indices: [Int], withMACState: Bool)] {
        var plan: [(indices: [Int], withMACState: Bool)] = []
        for round in rounds {
            for withMACState in [false, true] {
                let indices = round.filter { (rows[$0].macState != nil) == withMACState }.sorted { rows[$0].devEUI < rows[$1].devEUI }
                for start in stride(from: 0, to: indices.count, by: rowsPerStatement) {
                    plan.append((Array(indices[start..<min(start + rowsPerStatement, indices.count)]), withMACState))
                }
            }
        }
        return plan
    }

    /// The batch's indices split so that each device appears at most once in a round, rounds in order:
    /// the n-th update of a device goes to round n.
    static func rounds(of updates: [NetworkSessionUpdate]) -> [[Int]] {
        var seen: [EUI64: Int] = [:]
        var rounds: [[Int]] = []
        for (index, update) in updates.enumerated() {
            let round = seen[update.session.devEUI, default: 0]
            seen[update.session.devEUI] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(index)
        }
        return rounds
    }

    /// One update's bound values, computed outside the transaction.
    struct UpdateRow: Sendable {
        let devEUI: String
        let sessionKeyID: Data
        let fCntUp: Int64
        let lastConfirmedUplinkFCnt: Int64
        let lastConfirmedDownlinkFCnt: Int64
        let fCntDown: Int64
        let nFCntDown: Int64
        let aFCntDown: Int64
        let adrEnabled: Int64
        let dataRate: Int64
        let adrHistory: Data
        let pendingConfirmedDownlinkID: Data
        let devAddr: Int64
        /// 1 when the update accepts a new uplink: the stored FCntUp must then be strictly below.
        let advancesFCntUp: Int64
        /// The encoded `mac_state`, only when the MAC state changed.
        let macState: Data?

        init(_ update: NetworkSessionUpdate) {
            let session = update.session
            let counters = NetworkSessionRows.DownlinkCounterColumns(session.downlinkCounters)
            devEUI = session.devEUI.description
            sessionKeyID = Data(session.sessionKeyID)
            fCntUp = session.fCntUp.map(Int64.init) ?? -1
            lastConfirmedUplinkFCnt = session.lastConfirmedUplinkFCnt.map(Int64.init) ?? -1
            lastConfirmedDownlinkFCnt = session.lastConfirmedDownlinkFCnt.map(Int64.init) ?? -1
            fCntDown = counters.fCntDown ?? -1
            nFCntDown = counters.nFCntDown ?? -1
            aFCntDown = counters.aFCntDown ?? -1
            adrEnabled = session.adrEnabled ? 1 : 0
            dataRate = Int64(session.macSettings.dataRate.rawValue)
            adrHistory = Data(ADRHistoryDocument.encode(session.adrHistory))
            pendingConfirmedDownlinkID = session.pendingConfirmedDownlinkID.map(StoredUUID.data) ?? Data()
            devAddr = Int64(session.devAddr.rawValue)
            advancesFCntUp = update.advancesUplinkCounter ? 1 : 0
            macState = update.macStateChanged ? Data(NetworkSessionDocument(session).encoded()) : nil
        }
    }

    /// One statement for up to `rowsPerStatement` updates of distinct devices; returns the DevEUIs
    /// (as stored text) whose update applied.
    private static func write(_ rows: [UpdateRow], withMACState: Bool, on sql: any SQLDatabase) async throws -> Set<String> {
        guard !rows.isEmpty else { return [] }
        let applied = try await sql.raw(statement(rows, withMACState: withMACState)).all()
        return Set(try applied.map { try $0.text("dev_eui", table: NetworkSessionRows.table) })
    }

    static func statement(_ rows: [UpdateRow], withMACState: Bool) -> SQLQueryString {
        var statement = SQLQueryString("""
            UPDATE ns_sessions SET f_cnt_up = NULLIF(v.column3, -1), last_confirmed_uplink_fcnt = NULLIF(v.column4, -1), \
            last_confirmed_downlink_fcnt = NULLIF(v.column5, -1), f_cnt_down = NULLIF(v.column6, -1), \
            n_f_cnt_down = NULLIF(v.column7, -1), a_f_cnt_down = NULLIF(v.column8, -1), adr_enabled = v.column9, \
            data_rate = v.column10, adr_history = v.column11, \
            pending_confirmed_downlink_id = CASE WHEN length(v.column12) = 0 THEN NULL ELSE v.column12 END
            """)
        if withMACState { statement += ", dev_addr = v.column14, mac_state = v.column15" }
        statement += " FROM (VALUES "
        for (index, row) in rows.enumerated() {
            if index > 0 { statement += ", " }
            statement += """
                (\(bind: row.devEUI), \(bind: row.sessionKeyID), \(bind: row.fCntUp), \(bind: row.lastConfirmedUplinkFCnt), \
                \(bind: row.lastConfirmedDownlinkFCnt), \(bind: row.fCntDown), \(bind: row.nFCntDown), \(bind: row.aFCntDown), \
                \(bind: row.adrEnabled), \(bind: row.dataRate), \(bind: row.adrHistory), \(bind: row.pendingConfirmedDownlinkID), \
                \(bind: row.advancesFCntUp)
                """
            if withMACState, let macState = row.macState {
                statement += ", \(bind: row.devAddr), \(bind: macState)"
            }
            statement += ")"
        }
        statement += """
            ) AS v WHERE ns_sessions.dev_eui = v.column1 AND ns_sessions.session_key_id = v.column2 \
            AND (ns_sessions.f_cnt_up IS NULL OR ns_sessions.f_cnt_up < v.column3 \
            OR (v.column13 = 0 AND ns_sessions.f_cnt_up <= v.column3)) \
            AND COALESCE(ns_sessions.f_cnt_down, -1) <= v.column6 \
            AND COALESCE(ns_sessions.n_f_cnt_down, -1) <= v.column7 \
            AND COALESCE(ns_sessions.a_f_cnt_down, -1) <= v.column8 \
            RETURNING dev_eui
            """
        return statement
    }
}
