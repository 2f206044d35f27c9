import Foundation
import JoinServer
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

@Suite("Join device repository")
struct JoinDeviceRepositoryTests {
    @Test("a device round-trips with 1.0 keys, 1.1 keys or none; a second insert of its DevEUI is a duplicate", arguments: Backend.available)
    func insertAndRead(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let devices = [
                JoinFixture.device(1, version: .v1_0_2), JoinFixture.device(2, version: .v1_1),
                JoinFixture.device(3, version: .v1_0_4, owner: nil, claimCodeHash: Fixture.randomBytes(32), withKeys: false),
            ]
            for (n, device) in zip(1..., devices) {
                let outcome = try await store.joinDevices.insert(device, audit: JoinFixture.event(.deviceCreated, device: UInt64(n)))
                #expect(outcome == .inserted)
            }
            for device in devices { #expect(try await store.joinDevices.device(device.devEUI) == device) }
            #expect(try await store.joinDevices.device(JoinFixture.devEUI(99)) == nil)

            var again = JoinFixture.device(1)
            again.owner = "mallory"
            #expect(try await store.joinDevices.insert(again, audit: JoinFixture.event(.deviceCreated, device: 1)) == .duplicate)
            #expect(try await store.joinDevices.device(JoinFixture.devEUI(1)) == devices[0])
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 10).count == 3, "a duplicate appends no event")
        }
    }

    @Test("a batch import is all or nothing: existing and repeated DevEUIs are returned and nothing is stored", arguments: Backend.available)
    func insertBatchAllOrNothing(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(5), audit: JoinFixture.event(.deviceCreated, device: 5))
            // 1,200 devices: more than one multi-row statement; DevEUI 5 exists, 700 appears twice.
            var batch = (1...1_200).map { JoinFixture.device(UInt64($0), owner: nil) }
            batch.append(JoinFixture.device(700, owner: nil))
            let conflicting = try await store.joinDevices.insertBatch(batch, audit: JoinFixture.event(.deviceImported))
            #expect(conflicting == [JoinFixture.devEUI(5), JoinFixture.devEUI(700)])
            #expect(try await store.joinDevices.devices(owner: nil, limit: 10_000, after: nil).map(\.devEUI) == [JoinFixture.devEUI(5)])
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 10).map(\.action) == [.deviceCreated])

            let clean = (6...1_205).map { JoinFixture.device(UInt64($0), owner: nil) }
            #expect(try await store.joinDevices.insertBatch(clean, audit: JoinFixture.event(.deviceImported)).isEmpty)
            let stored = try await store.joinDevices.devices(owner: nil, limit: 10_000, after: nil)
            #expect(stored.count == 1_201)
            #expect(try await store.joinDevices.device(clean[600].devEUI) == clean[600])
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 10).map(\.action) == [.deviceCreated, .deviceImported])
            #expect(try await store.joinDevices.insertBatch([], audit: JoinFixture.event(.deviceImported)).isEmpty)
        }
    }

    @Test("devices are listed by owner in DevEUI order, a page at a time", arguments: Backend.available)
    func paging(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            // Inserted out of order, two owners and one unclaimed.
            for n: UInt64 in [7, 3, 1, 6, 2, 5, 4] {
                let owner: String? = n == 4 ? nil : (n % 2 == 0 ? "beta" : "acme")
                _ = try await store.joinDevices.insert(JoinFixture.device(n, owner: owner), audit: JoinFixture.event(.deviceCreated, device: n))
            }
            var pages: [[EUI64]] = []
            var after: EUI64?
            repeat {
                let page = try await store.joinDevices.devices(owner: nil, limit: 3, after: after).map(\.devEUI)
                if page.isEmpty { break }
                pages.append(page)
                after = page.last
            } while true
            let expectedPages: [[UInt64]] = [[1, 2, 3], [4, 5, 6], [7]]
            #expect(pages == expectedPages.map { $0.map(JoinFixture.devEUI) })
            let acme: [UInt64] = [1, 3, 5, 7]
            #expect(try await store.joinDevices.devices(owner: "acme", limit: 10, after: nil).map(\.devEUI) == acme.map(JoinFixture.devEUI))
            #expect(try await store.joinDevices.devices(owner: "beta", limit: 10, after: JoinFixture.devEUI(2)).map(\.devEUI) == [JoinFixture.devEUI(6)])
            #expect(try await store.joinDevices.devices(owner: nil, limit: 0, after: nil).isEmpty)
        }
    }

    @Test("several devices are read in one lookup: those that exist, each once", arguments: Backend.available)
    func lookupMany(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let devices = [JoinFixture.device(1, version: .v1_0_2), JoinFixture.device(2), JoinFixture.device(3, withKeys: false)]
            #expect(try await store.joinDevices.insertBatch(devices, audit: JoinFixture.event(.deviceImported)).isEmpty)
            let asked = [JoinFixture.devEUI(3), JoinFixture.devEUI(9), JoinFixture.devEUI(1), JoinFixture.devEUI(3), JoinFixture.devEUI(2)]
            let found = try await store.joinDevices.devices(asked)
            #expect(found.sorted { $0.devEUI < $1.devEUI } == devices)
            #expect(try await store.joinDevices.devices([]).isEmpty)
        }
    }

    @Test("an update replaces the record's fields but keeps its creation time and nonce state", arguments: Backend.available)
    func update(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let device = JoinFixture.device(1, version: .v1_0_3)
            _ = try await store.joinDevices.insert(device, audit: JoinFixture.event(.deviceCreated, device: 1))
            #expect(try await store.joinDevices.recordJoins([JoinFixture.legacy(1, 42)], at: Fixture.time(1)) == [JoinFixture.accepted(1)])

            var changed = JoinFixture.device(1, version: .v1_1, owner: "beta")
            changed.homeNetID = NetID(0x60_0001)
            changed.applicationServerID = nil
            changed.transferredAt = Fixture.time(9)
            changed.createdAt = Fixture.time(100)
            #expect(try await store.joinDevices.update(changed, audit: JoinFixture.event(.rootKeysSet, device: 1)))
            var expected = changed
            expected.createdAt = device.createdAt
            #expect(try await store.joinDevices.device(device.devEUI) == expected)
            #expect(try await store.joinDevices.lastJoinNonce(device.devEUI) == JoinNonce(1))

            expected.rootKeys = nil
            #expect(try await store.joinDevices.update(expected, audit: JoinFixture.event(.rootKeysSet, device: 1)))
            #expect(try await store.joinDevices.device(device.devEUI)?.rootKeys == nil)
            #expect(try await !store.joinDevices.update(JoinFixture.device(2), audit: JoinFixture.event(.rootKeysSet, device: 2)))
            #expect(try await store.joinDevices.auditEvents(devEUI: device.devEUI, limit: 10).map(\.action) == [.deviceCreated, .rootKeysSet, .rootKeysSet])
        }
    }

    @Test("a claim needs the DevEUI, the JoinEUI and the code; it sets the owner and clears the code, once", arguments: Backend.available)
    func claim(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let code = Fixture.randomBytes(32)
            let device = JoinFixture.device(1, owner: nil, claimCodeHash: code)
            _ = try await store.joinDevices.insert(device, audit: JoinFixture.event(.deviceImported, device: 1))
            _ = try await store.joinDevices.insert(JoinFixture.device(2, owner: nil), audit: JoinFixture.event(.deviceImported, device: 2))
            let audit = JoinFixture.event(.deviceClaimed, device: 1, actor: "claim:acme")
            let joinServer = store.joinDevices

            #expect(try await joinServer.claim(JoinFixture.devEUI(9), joinEUI: JoinFixture.joinEUI, claimCodeHash: code, owner: "acme", audit: audit) == .unknownDevice)
            #expect(try await joinServer.claim(device.devEUI, joinEUI: EUI64(1), claimCodeHash: code, owner: "acme", audit: audit) == .unknownDevice)
            #expect(try await joinServer.claim(device.devEUI, joinEUI: JoinFixture.joinEUI, claimCodeHash: Fixture.randomBytes(32), owner: "acme", audit: audit) == .wrongCode)
            #expect(try await joinServer.claim(device.devEUI, joinEUI: JoinFixture.joinEUI, claimCodeHash: Array(code.prefix(31)), owner: "acme", audit: audit) == .wrongCode)
            // An unowned device without a claim code cannot be claimed with any code.
            #expect(try await joinServer.claim(JoinFixture.devEUI(2), joinEUI: JoinFixture.joinEUI, claimCodeHash: [], owner: "acme", audit: audit) == .wrongCode)
            #expect(try await joinServer.device(device.devEUI) == device, "refused claims change nothing")

            var claimed = device
            claimed.owner = "acme"
            claimed.claimCodeHash = nil
            #expect(try await joinServer.claim(device.devEUI, joinEUI: JoinFixture.joinEUI, claimCodeHash: code, owner: "acme", audit: audit) == .claimed(claimed))
            #expect(try await joinServer.device(device.devEUI) == claimed)
            #expect(try await joinServer.claim(device.devEUI, joinEUI: JoinFixture.joinEUI, claimCodeHash: code, owner: "mallory", audit: audit) == .alreadyOwned)
            #expect(try await joinServer.auditEvents(devEUI: device.devEUI, limit: 10).map(\.action) == [.deviceImported, .deviceClaimed])
        }
    }

    @Test("deleting a device deletes its DevNonce history and sessions; its audit history stays", arguments: Backend.available)
    func deleteCascades(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_2), audit: JoinFixture.event(.deviceCreated, device: 1))
            _ = try await store.joinDevices.insert(JoinFixture.device(2, version: .v1_0_2), audit: JoinFixture.event(.deviceCreated, device: 2))
            let attempts = [JoinFixture.legacy(1, 7), JoinFixture.legacy(1, 8), JoinFixture.legacy(2, 7)]
            #expect(try await store.joinDevices.recordJoins(attempts, at: Fixture.time(1)).allSatisfy { if case .accepted = $0 { true } else { false } })

            #expect(try await store.joinDevices.delete(JoinFixture.devEUI(1), audit: JoinFixture.event(.deviceDeleted, device: 1)))
            #expect(try await !store.joinDevices.delete(JoinFixture.devEUI(1), audit: JoinFixture.event(.deviceDeleted, device: 1)))
            #expect(try await store.joinDevices.device(JoinFixture.devEUI(1)) == nil)
            #expect(try await store.joinDevices.session(devEUI: JoinFixture.devEUI(1), sessionKeyID: attempts[0].sessionKeyID) == nil)
            #expect(try await rowCount("join_used_dev_nonces", store) == 1)
            #expect(try await rowCount("join_sessions", store) == 1)
            #expect(try await store.joinDevices.session(devEUI: JoinFixture.devEUI(2), sessionKeyID: attempts[2].sessionKeyID) != nil)
            #expect(try await store.joinDevices.auditEvents(devEUI: JoinFixture.devEUI(1), limit: 10).map(\.action) == [.deviceCreated, .deviceDeleted])

            // Created again, it starts with no history.
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_2), audit: JoinFixture.event(.deviceCreated, device: 1))
            #expect(try await store.joinDevices.recordJoins([JoinFixture.legacy(1, 7)], at: Fixture.time(2)) == [JoinFixture.accepted(1)])
        }
    }

    @Test("a DevNonce reset forgets used DevNonces, the last DevNonce and RJcount1, and keeps the JoinNonce", arguments: Backend.available)
    func resetDevNonces(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1, version: .v1_0_3), audit: JoinFixture.event(.deviceCreated, device: 1))
            _ = try await store.joinDevices.insert(JoinFixture.device(2), audit: JoinFixture.event(.deviceCreated, device: 2))
            let before = [JoinFixture.legacy(1, 500), JoinFixture.counting(2, 900), JoinFixture.attempt(2, .rjCount1(RJCount(30)))]
            #expect(try await store.joinDevices.recordJoins(before, at: Fixture.time(1)) == [JoinFixture.accepted(1), JoinFixture.accepted(1), JoinFixture.accepted(2)])

            for n: UInt64 in [1, 2] {
                #expect(try await store.joinDevices.resetDevNonces(JoinFixture.devEUI(n), audit: JoinFixture.event(.devNoncesReset, device: n)))
            }
            #expect(try await !store.joinDevices.resetDevNonces(JoinFixture.devEUI(3), audit: JoinFixture.event(.devNoncesReset, device: 3)))
            let after = [JoinFixture.legacy(1, 500), JoinFixture.counting(2, 0), JoinFixture.attempt(2, .rjCount1(RJCount(0)))]
            #expect(try await store.joinDevices.recordJoins(after, at: Fixture.time(2)) == [JoinFixture.accepted(2), JoinFixture.accepted(3), JoinFixture.accepted(4)])
            #expect(try await store.joinDevices.auditEvents(devEUI: JoinFixture.devEUI(2), limit: 10).map(\.action) == [.deviceCreated, .devNoncesReset])
        }
    }

    @Test("audit events are listed per device or all, oldest first, up to a limit", arguments: Backend.available)
    func auditQueries(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let events = [
                JoinFixture.event(.deviceCreated, device: 1, at: Fixture.time(10)),
                JoinFixture.event(.masterKeyAdded, at: Fixture.time(20)),
                JoinFixture.event(.claimRefused, device: 1, at: Fixture.time(30), actor: "claim:mallory"),
                JoinFixture.event(.rootKeysExported, device: 2, at: Fixture.time(40)),
            ]
            for event in events.reversed() { try await store.joinDevices.appendAudit(event) }
            let all = try await store.joinDevices.auditEvents(devEUI: nil, limit: 10)
            #expect(all.allSatisfy { $0.id != nil })
            #expect(all.map { var event = $0; event.id = nil; return event } == events)
            #expect(try await store.joinDevices.auditEvents(devEUI: JoinFixture.devEUI(1), limit: 10).map(\.action) == [.deviceCreated, .claimRefused])
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 2).map(\.time) == [Fixture.time(10), Fixture.time(20)])
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 0).isEmpty)
        }
    }

    @Test("the database itself refuses to update or delete device audit events", arguments: Backend.available)
    func auditAppendOnly(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.joinDevices.appendAudit(JoinFixture.event(.deviceCreated, device: 1))
            for statement in ["UPDATE join_device_audit_events SET actor = 'mallory'", "DELETE FROM join_device_audit_events"] {
                await #expect(throws: StorageError.self) {
                    try await store.engine.transaction { sql in try await sql.raw(SQLQueryString(statement)).run() }
                }
            }
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 10).map(\.actor) == ["cli"])
        }
    }
}

/// The number of rows in `table`, read on the store's own connection.
func rowCount(_ table: String, _ store: GatehouseStore) async throws -> Int64 {
    try await store.engine.read { sql in
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decodingColumn: "n", as: Int64.self) ?? 0
    }
}
