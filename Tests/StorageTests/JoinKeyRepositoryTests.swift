import BackendInterfaces
import Foundation
import JoinServer
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

@Suite("Join key repository")
struct JoinKeyRepositoryTests {
    private static func masterKey(_ name: String, _ first: UInt64, _ last: UInt64, at seconds: Int = 0) -> MasterKeyRecord {
        MasterKeyRecord(name: name, joinEUIs: EUI64(first)...EUI64(last), key: MasterKey(bytes: Fixture.randomBytes(16))!, createdAt: Fixture.time(seconds))
    }

    private static func peerKEK(_ peer: String, label: String) -> PeerKEKRecord {
        PeerKEKRecord(peer: BackendPeer(peer)!, kek: LabeledKEK(label: label, bytes: Fixture.randomBytes(16))!, createdAt: Fixture.epoch)
    }

    @Test("master keys are stored, replaced by name, listed in JoinEUI order and removed", arguments: Backend.available)
    func masterKeys(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let keys = store.joinKeys
            let high = Self.masterKey("acme-2", 0x70B3_D57E_F000_1000, 0x70B3_D57E_F000_1FFF)
            let low = Self.masterKey("acme-1", 0x70B3_D57E_F000_0000, 0x70B3_D57E_F000_0FFF)
            let outcomes = [
                try await keys.putMasterKey(high, audit: JoinFixture.event(.masterKeyAdded)),
                try await keys.putMasterKey(low, audit: JoinFixture.event(.masterKeyAdded)),
            ]
            #expect(outcomes == [.stored, .stored])
            #expect(try await keys.masterKeys() == [low, high])

            // Same name: replaced, even with a range that overlaps its own old one.
            let replacement = Self.masterKey("acme-2", 0x70B3_D57E_F000_1800, 0x70B3_D57E_F000_2FFF, at: 5)
            #expect(try await keys.putMasterKey(replacement, audit: JoinFixture.event(.masterKeyAdded)) == .stored)
            #expect(try await keys.masterKeys() == [low, replacement])

            #expect(try await keys.removeMasterKey(named: "acme-1", audit: JoinFixture.event(.masterKeyRemoved)))
            #expect(try await !keys.removeMasterKey(named: "acme-1", audit: JoinFixture.event(.masterKeyRemoved)))
            #expect(try await keys.masterKeys() == [replacement])
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 10).map(\.action) == [.masterKeyAdded, .masterKeyAdded, .masterKeyAdded, .masterKeyRemoved])
        }
    }

    @Test("a master key whose JoinEUI range overlaps another key's is refused, naming that key", arguments: Backend.available)
    func overlap(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let keys = store.joinKeys
            let existing = Self.masterKey("vendor", 0x1000, 0x1FFF)
            let outcome = try await keys.putMasterKey(existing, audit: JoinFixture.event(.masterKeyAdded))
            #expect(outcome == .stored)
            let overlapping: [(UInt64, UInt64)] = [(0x0F00, 0x1000), (0x1FFF, 0x2000), (0x1100, 0x1200), (0x0000, 0xFFFF), (0x1000, 0x1FFF)]
            for (first, last) in overlapping {
                #expect(try await keys.putMasterKey(Self.masterKey("other", first, last), audit: JoinFixture.event(.masterKeyAdded)) == .overlapping("vendor"))
            }
            // Adjacent ranges touch but do not overlap.
            #expect(try await keys.putMasterKey(Self.masterKey("below", 0x0000, 0x0FFF), audit: JoinFixture.event(.masterKeyAdded)) == .stored)
            #expect(try await keys.putMasterKey(Self.masterKey("above", 0x2000, 0x2FFF), audit: JoinFixture.event(.masterKeyAdded)) == .stored)
            #expect(try await keys.masterKeys().map(\.name) == ["below", "vendor", "above"])
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 10).count == 3, "a refused key appends no event")
        }
    }

    @Test("peer KEKs are stored, replaced per peer, listed and removed", arguments: Backend.available)
    func peerKEKs(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let keys = store.joinKeys
            let networkServer = Self.peerKEK("ns:000013", label: "ns-kek-1")
            let applicationServer = Self.peerKEK("as:as.example.com", label: "as-kek")
            try await keys.putPeerKEK(networkServer, audit: JoinFixture.event(.peerKEKSet))
            try await keys.putPeerKEK(applicationServer, audit: JoinFixture.event(.peerKEKSet))
            let replacement = Self.peerKEK("ns:000013", label: "ns-kek-2")
            try await keys.putPeerKEK(replacement, audit: JoinFixture.event(.peerKEKSet))

            let stored = try await keys.peerKEKs()
            #expect(stored.map(\.peer) == [applicationServer.peer, replacement.peer])
            #expect(stored.map(\.kek.label) == ["as-kek", "ns-kek-2"])
            #expect(stored.map { $0.kek.exportBytes() } == [applicationServer.kek.exportBytes(), replacement.kek.exportBytes()])

            #expect(try await keys.removePeerKEK(networkServer.peer, audit: JoinFixture.event(.peerKEKRemoved)))
            #expect(try await !keys.removePeerKEK(networkServer.peer, audit: JoinFixture.event(.peerKEKRemoved)))
            #expect(try await keys.peerKEKs().map(\.peer) == [applicationServer.peer])
            #expect(try await store.joinDevices.auditEvents(devEUI: nil, limit: 10).map(\.action) == [.peerKEKSet, .peerKEKSet, .peerKEKSet, .peerKEKRemoved])
        }
    }

    @Test("root keys, master keys and peer KEKs are not in the SQLite files, nor in `sqlite3 .dump`, in any plain form")
    func secretsAtRest() async throws {
        try await withStore(.sqlite) { store, database in
            let legacy = JoinFixture.device(1, version: .v1_0_2)
            let separate = JoinFixture.device(2, version: .v1_1)
            _ = try await store.joinDevices.insert(legacy, audit: JoinFixture.event(.deviceCreated, device: 1))
            _ = try await store.joinDevices.insertBatch([separate], audit: JoinFixture.event(.deviceImported))
            let master = Self.masterKey("vendor", 0x1000, 0x1FFF)
            _ = try await store.joinKeys.putMasterKey(master, audit: JoinFixture.event(.masterKeyAdded))
            let peer = Self.peerKEK("ns:000013", label: "ns-kek")
            try await store.joinKeys.putPeerKEK(peer, audit: JoinFixture.event(.peerKEKSet))
            // Updated keys too: an update seals again.
            var rekeyed = legacy
            rekeyed.rootKeys = .legacy(appKey: JoinFixture.appKey())
            _ = try await store.joinDevices.update(rekeyed, audit: JoinFixture.event(.rootKeysSet, device: 1))

            var secrets: [(String, [UInt8])] = [("master key", master.key.exportBytes()), ("peer KEK", peer.kek.exportBytes())]
            for (name, keys) in [("1.0 AppKey", legacy.rootKeys), ("new 1.0 AppKey", rekeyed.rootKeys), ("1.1 keys", separate.rootKeys)] {
                switch keys {
                case .legacy(let appKey): secrets.append((name, appKey.exportBytes()))
                case .separate(let nwkKey, let appKey): secrets += [(name + " NwkKey", nwkKey.exportBytes()), (name + " AppKey", appKey.exportBytes())]
                case nil: Issue.record("the fixture has keys")
                }
            }
            // What is not secret must be found, or the search proves nothing.
            let visible = Array(separate.devEUI.description.utf8)

            func check(_ bytes: [UInt8], _ place: String) {
                let showsDevice = bytes.contains(visible)
                #expect(showsDevice, "\(place) should show the DevEUI")
                for (name, secret) in secrets {
                    for form in secret.leakForms {
                        let leaked = bytes.contains(form)
                        #expect(!leaked, "\(place) holds the \(name)")
                    }
                }
            }
            check(sqliteFileBytes(database), "the database files (open)")
            check(try sqliteDump(database.sqlitePath), "the dump (open)")
            await store.close()
            check(sqliteFileBytes(database), "the database files (closed)")
            check(try sqliteDump(database.sqlitePath), "the dump (closed)")
        }
    }

    @Test("a root key sealed for one device does not open as another's", arguments: Backend.available)
    func sealedKeysAreBoundToTheirRow(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.joinDevices.insert(JoinFixture.device(1), audit: JoinFixture.event(.deviceCreated, device: 1))
            _ = try await store.joinDevices.insert(JoinFixture.device(2), audit: JoinFixture.event(.deviceCreated, device: 2))
            try await store.engine.transaction { sql in
                try await sql.raw("""
                    UPDATE join_devices SET root_keys_sealed = (SELECT root_keys_sealed FROM join_devices WHERE dev_eui = \(bind: JoinFixture.devEUI(1).description))
                    WHERE dev_eui = \(bind: JoinFixture.devEUI(2).description)
                    """).run()
            }
            await #expect(throws: StorageError.secretRejected(table: "join_devices", row: JoinFixture.devEUI(2).description)) {
                _ = try await store.joinDevices.device(JoinFixture.devEUI(2))
            }
        }
    }
}

/// `sqlite3 <path> .dump`, as bytes.
func sqliteDump(_ path: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", path, ".dump"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestSetupFailure("`sqlite3 .dump` exited with \(process.terminationStatus); is the sqlite3 command installed (Debian package sqlite3)?")
    }
    return [UInt8](data)
}
