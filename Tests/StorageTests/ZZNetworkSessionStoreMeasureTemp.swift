import Foundation
import LoRaWAN
import NetworkServer
import SQLKit
@testable import Storage
import Testing

@Suite("NetworkSessionStore temporary measurement")
struct NetworkSessionStoreMeasureTemp {
    static var backends: [Backend] {
        guard let only = ProcessInfo.processInfo.environment["NSBENCH_BACKEND"] else { return Backend.available }
        return Backend.available.filter { $0.rawValue == only }
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

    @Test("measure", arguments: Self.backends)
    func measure(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let count = 10_000
            var sessions = (0..<count).map { NetworkFixture.session(UInt64($0), version: $0 % 2 == 0 ? .v1_1 : .v1_0_3, devAddr: DevAddr(UInt32($0))).afterUplink(0) }
            let clock = ContinuousClock()
            var start = clock.now
            for chunk in stride(from: 0, to: count, by: 100) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for session in sessions[chunk..<chunk + 100] { group.addTask { try await store.networkSessions.activate(session) } }
                    try await group.waitForAll()
                }
            }
            print("[\(backend)] activate x\(count) (100 concurrent): \(clock.now - start)")
            for round in 1...3 {
                sessions = sessions.map { $0.afterUplink(UInt32(round)) }
                for macChanged in [false, true] {
                    let updates = sessions.map { NetworkSessionUpdate(session: $0, macStateChanged: macChanged) }
                    start = clock.now
                    let rows = updates.map(SQLNetworkSessionStore.UpdateRow.init)
                    let encode = clock.now - start
                    start = clock.now
                    let statements = stride(from: 0, to: count, by: 500).map { SQLNetworkSessionStore.statement(Array(rows[$0..<$0 + 500]), withMACState: macChanged) }
                    let build = clock.now - start
                    start = clock.now
                    try await store.engine.transaction { sql in
                        for statement in statements { _ = try await sql.raw(statement).all() }
                    }
                    let execute = clock.now - start
                    print("[\(backend)] round \(round) mac=\(macChanged): rows \(Int(Self.seconds(encode) / Double(count) * 1e6)) µs, SQL text \(Int(Self.seconds(build) / Double(count) * 1e6)) µs, execute \(Int(Self.seconds(execute) / Double(count) * 1e6)) µs per update; \(Int(Double(count) / Self.seconds(encode + build + execute)))/s")
                }
            }
            start = clock.now
            for round in 4...5 {
                let updates = sessions.map { NetworkSessionUpdate(session: $0.afterUplink(UInt32(round)), macStateChanged: false) }
                for batchStart in stride(from: 0, to: count, by: 500) {
                    _ = try await store.networkSessions.update(Array(updates[batchStart..<batchStart + 500]))
                }
            }
            print("[\(backend)] update() end to end: \(Int(Double(2 * count) / Self.seconds(clock.now - start)))/s")
            start = clock.now
            for index in 0..<2_000 { _ = try await store.networkSessions.sessions(devAddr: DevAddr(UInt32(index))) }
            print("[\(backend)] sessions(devAddr:): \(Int(Self.seconds(clock.now - start) / 2000 * 1e6)) µs each")
        }
    }
}
