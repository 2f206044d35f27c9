import Foundation
import LoRaWAN
import NetworkServer
import SQLKit
@testable import Storage
import Testing

@Suite("NetworkSessionStore temporary experiment")
struct NetworkSessionStoreExperimentTemp {
    static func micros(_ d: Duration, _ n: Int) -> Int { Int((Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) / Double(n) * 1e6) }

    @Test("pg binds vs literals vs arrays", .enabled(if: Backend.postgresURL != nil && ProcessInfo.processInfo.environment["NSEXP"] != nil))
    func experiment() async throws {
        try await withStore(.postgres) { store, _ in
            let count = 5_000
            var sessions = (0..<count).map { NetworkFixture.session(UInt64($0), version: .v1_0_3, devAddr: DevAddr(UInt32($0))).afterUplink(0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for session in sessions { group.addTask { try await store.networkSessions.activate(session) } }
                try await group.waitForAll()
            }
            let clock = ContinuousClock()
            for round in 1...2 {
                sessions = sessions.map { $0.afterUplink(UInt32(round)) }
                let rows = sessions.map { SQLNetworkSessionStore.UpdateRow(NetworkSessionUpdate(session: $0, macStateChanged: false)) }
                // A: binds
                var start = clock.now
                try await store.engine.transaction { sql in
                    for s in stride(from: 0, to: count, by: 500) { _ = try await sql.raw(SQLNetworkSessionStore.statement(Array(rows[s..<s + 500]), withMACState: false)).all() }
                }
                print("A binds: \(Self.micros(clock.now - start, count)) µs/row")
                // B: a trivial statement with 6000 binds, to see the driver's cost per bind
                start = clock.now
                try await store.engine.transaction { sql in
                    for s in stride(from: 0, to: count, by: 500) {
                        var q = SQLQueryString("SELECT count(*) AS n FROM (VALUES ")
                        for (i, row) in rows[s..<s + 500].enumerated() {
                            if i > 0 { q += ", " }
                            q += "(\(bind: row.devEUI), \(bind: row.sessionKeyID), \(bind: row.fCntUp), \(bind: row.lastConfirmedUplinkFCnt), \(bind: row.lastConfirmedDownlinkFCnt), \(bind: row.fCntDown), \(bind: row.nFCntDown), \(bind: row.aFCntDown), \(bind: row.adrEnabled), \(bind: row.dataRate), \(bind: row.adrHistory), \(bind: row.pendingConfirmedDownlinkID))"
                        }
                        q += ") AS v"
                        _ = try await sql.raw(q).all()
                    }
                }
                print("B select with same binds: \(Self.micros(clock.now - start, count)) µs/row")
                // C: arrays + unnest
                sessions = sessions.map { $0.afterUplink(UInt32(round) + 10) }
                let rowsC = sessions.map { SQLNetworkSessionStore.UpdateRow(NetworkSessionUpdate(session: $0, macStateChanged: false)) }
                start = clock.now
                try await store.engine.transaction { sql in
                    for s in stride(from: 0, to: count, by: 500) {
                        let chunk = Array(rowsC[s..<s + 500])
                        let q: SQLQueryString = """
                            UPDATE ns_sessions SET f_cnt_up = NULLIF(v.c3, -1), last_confirmed_uplink_fcnt = NULLIF(v.c4, -1), \
                            last_confirmed_downlink_fcnt = NULLIF(v.c5, -1), f_cnt_down = NULLIF(v.c6, -1), \
                            n_f_cnt_down = NULLIF(v.c7, -1), a_f_cnt_down = NULLIF(v.c8, -1), adr_enabled = v.c9, \
                            data_rate = v.c10, adr_history = v.c11, \
                            pending_confirmed_downlink_id = CASE WHEN length(v.c12) = 0 THEN NULL ELSE v.c12 END
                            FROM unnest(\(bind: chunk.map(\.devEUI)), \(bind: chunk.map(\.sessionKeyID)), \(bind: chunk.map(\.fCntUp)), \(bind: chunk.map(\.lastConfirmedUplinkFCnt)), \
                            \(bind: chunk.map(\.lastConfirmedDownlinkFCnt)), \(bind: chunk.map(\.fCntDown)), \(bind: chunk.map(\.nFCntDown)), \(bind: chunk.map(\.aFCntDown)), \
                            \(bind: chunk.map(\.adrEnabled)), \(bind: chunk.map(\.dataRate)), \(bind: chunk.map(\.adrHistory)), \(bind: chunk.map(\.pendingConfirmedDownlinkID))) \
                            AS v(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12)
                            WHERE ns_sessions.dev_eui = v.c1 AND ns_sessions.session_key_id = v.c2 \
                            AND (ns_sessions.f_cnt_up IS NULL OR ns_sessions.f_cnt_up <= v.c3) \
                            AND COALESCE(ns_sessions.f_cnt_down, -1) <= v.c6 AND COALESCE(ns_sessions.n_f_cnt_down, -1) <= v.c7 \
                            AND COALESCE(ns_sessions.a_f_cnt_down, -1) <= v.c8 RETURNING dev_eui
                            """
                        let n = try await sql.raw(q).all().count
                        #expect(n == 500)
                    }
                }
                print("C unnest arrays: \(Self.micros(clock.now - start, count)) µs/row")
            }
        }
    }
}
