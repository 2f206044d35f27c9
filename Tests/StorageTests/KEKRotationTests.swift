import BackendInterfaces
import Foundation
import GatewayPKI
import JoinServer
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

@Suite("Key-encryption key rotation")
struct KEKRotationTests {
    private static let third: KeyEncryptionKey = {
        guard let key = try? KeyEncryptionKey(bytes: Array(repeating: 0x33, count: 32)) else { fatalError("32 bytes are a valid key") }
        return key
    }()

    /// One secret of every sealed kind, and a device without keys.
    private struct Secrets {
        let authority: AuthorityRecord
        let devices: [JoinDevice]
        let masterKey: MasterKeyRecord
        let peerKEK: PeerKEKRecord
        /// Every sealed value in the database.
        var count: Int { 1 + devices.filter { $0.rootKeys != nil }.count + 1 + 1 }
    }

    private static func populate(_ store: GatehouseStore) async throws -> Secrets {
        let authority = Fixture.authority()
        try await store.authorities.save(authority, audit: Fixture.event(.caCreated))
        // A CA without a key (a vendor CA) has nothing to re-seal.
        try await store.authorities.save(Fixture.authority("vendor-1", role: .vendor, key: nil), audit: Fixture.event(.caCreated))
        let devices = [
            JoinFixture.device(1, version: .v1_0_2), JoinFixture.device(2, version: .v1_1), JoinFixture.device(3, version: .v1_0_4),
            JoinFixture.device(4, owner: nil, withKeys: false),
        ]
        #expect(try await store.joinDevices.insertBatch(devices, audit: JoinFixture.event(.deviceImported)).isEmpty)
        let masterKey = MasterKeyRecord(name: "vendor", joinEUIs: EUI64(0x10)...EUI64(0x20), key: MasterKey(bytes: Fixture.randomBytes(16))!, createdAt: Fixture.epoch)
        #expect(try await store.joinKeys.putMasterKey(masterKey, audit: JoinFixture.event(.masterKeyAdded)) == .stored)
        let peerKEK = PeerKEKRecord(peer: BackendPeer("as:as.example.com")!, kek: LabeledKEK(label: "as", bytes: Fixture.randomBytes(16))!, createdAt: Fixture.epoch)
        try await store.joinKeys.putPeerKEK(peerKEK, audit: JoinFixture.event(.peerKEKSet))
        return Secrets(authority: authority, devices: devices, masterKey: masterKey, peerKEK: peerKEK)
    }

    private static func expectReadable(_ secrets: Secrets, in store: GatehouseStore) async throws {
        #expect(try await store.authorities.authority(id: secrets.authority.id) == secrets.authority)
        for device in secrets.devices { #expect(try await store.joinDevices.device(device.devEUI) == device) }
        #expect(try await store.joinKeys.masterKeys() == [secrets.masterKey])
        let peers = try await store.joinKeys.peerKEKs()
        #expect(peers.map(\.peer) == [secrets.peerKEK.peer])
        #expect(peers.map { $0.kek.exportBytes() } == [secrets.peerKEK.kek.exportBytes()])
    }

    private static func rotate(_ database: TestDatabase, from old: KeyEncryptionKey, to new: KeyEncryptionKey) async throws -> Int {
        try await GatehouseStore.rotateKeyEncryptionKey(database.configuration, from: old, to: new, logger: testLogger, at: Fixture.time(100))
    }

    @Test("every secret is re-sealed: the new key opens them all, and the old key no longer opens the store", arguments: Backend.available)
    func rotation(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let secrets = try await Self.populate(store)
            await store.close()

            #expect(try await Self.rotate(database, from: .test, to: .other) == secrets.count)

            let reopened = try await database.open(key: .other)
            try await Self.expectReadable(secrets, in: reopened)
            let keyIDs = try await reopened.engine.read { sql in
                var ids: Set<String> = []
                for column in SealedColumn.all {
                    let rows = try await sql.raw("SELECT DISTINCT \(ident: column.keyIDColumn) AS id FROM \(ident: column.table) WHERE \(ident: column.keyIDColumn) IS NOT NULL").all()
                    for row in rows { ids.insert(try row.decode(column: "id", as: String.self)) }
                }
                return ids
            }
            #expect(keyIDs == [KeyEncryptionKey.other.id])
            // Joins and new secrets work under the new key.
            #expect(try await reopened.joinDevices.recordJoins([JoinFixture.legacy(1, 1)], at: Fixture.time(101)) == [JoinFixture.accepted(1)])
            await reopened.close()

            await #expect(throws: StorageError.wrongKeyEncryptionKey(configuredKeyID: KeyEncryptionKey.test.id, databaseKeyIDs: [KeyEncryptionKey.other.id])) {
                _ = try await database.open(key: .test)
            }
            // And back again.
            #expect(try await Self.rotate(database, from: .other, to: .test) == secrets.count)
            let back = try await database.open(key: .test)
            try await Self.expectReadable(secrets, in: back)
            await back.close()
        }
    }

    @Test("a wrong old key is refused and changes nothing", arguments: Backend.available)
    func wrongOldKey(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let secrets = try await Self.populate(store)
            await store.close()
            await #expect(throws: StorageError.wrongKeyEncryptionKey(configuredKeyID: Self.third.id, databaseKeyIDs: [KeyEncryptionKey.test.id])) {
                _ = try await Self.rotate(database, from: Self.third, to: .other)
            }
            let reopened = try await database.open(key: .test)
            try await Self.expectReadable(secrets, in: reopened)
            await reopened.close()
        }
    }

    @Test("a secret sealed under a third key fails the rotation, and nothing is rotated", arguments: Backend.available)
    func rollsBack(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let secrets = try await Self.populate(store)
            let foreign = try SecretSealer(key: Self.third).seal(Fixture.randomBytes(16), for: SealedColumn.peerKEK.binding(row: "as:as.example.com"))
            try await store.engine.transaction { sql in
                try await sql.raw("UPDATE join_peer_keks SET key_sealed = \(bind: Data(foreign.box)), key_kek_id = \(bind: foreign.keyID)").run()
            }
            await store.close()
            // The peer KEKs come last: the CA key and the root keys were already re-sealed when it fails.
            await #expect(throws: StorageError.wrongKeyEncryptionKey(configuredKeyID: KeyEncryptionKey.test.id, databaseKeyIDs: [Self.third.id])) {
                _ = try await Self.rotate(database, from: .test, to: .other)
            }
            let reopened = try await database.open(key: .test)
            #expect(try await reopened.authorities.authority(id: secrets.authority.id) == secrets.authority)
            for device in secrets.devices { #expect(try await reopened.joinDevices.device(device.devEUI) == device) }
            await reopened.close()
        }
    }

    @Test("more rows than one page are all re-sealed", arguments: Backend.available)
    func manyRows(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let devices = (1...(KeyEncryptionKeyRotation.rowsPerPage * 2 + 1)).map { JoinFixture.device(UInt64($0), version: .v1_0_3) }
            #expect(try await store.joinDevices.insertBatch(devices, audit: JoinFixture.event(.deviceImported)).isEmpty)
            await store.close()
            #expect(try await Self.rotate(database, from: .test, to: .other) == devices.count)
            let reopened = try await database.open(key: .other)
            // Listing opens every device's keys.
            #expect(try await reopened.joinDevices.devices(owner: nil, limit: devices.count, after: nil) == devices)
            await reopened.close()
        }
    }

    @Test("rotation knows every sealed column of the schema", arguments: Backend.available)
    func everySealedColumn(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let columns = try await store.engine.read { sql in
                let query: SQLQueryString =
                    switch store.engine.flavor {
                    case .sqlite:
                        """
                        SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
                        WHERE m.type = 'table' AND p.name LIKE '%sealed%'
                        """
                    case .postgres:
                        """
                        SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
                        WHERE table_schema = current_schema() AND column_name LIKE '%sealed%'
                        """
                    }
                return Set(try await sql.raw(query).all().map { row in
                    "\(try row.decode(column: "table_name", as: String.self)).\(try row.decode(column: "column_name", as: String.self))"
                })
            }
            #expect(!columns.isEmpty)
            #expect(columns == Set(SealedColumn.all.map(\.description)))
        }
    }

    @Test("after rotating, the ciphertexts under the old key are gone from the SQLite files")
    func oldCiphertextsGone() async throws {
        try await withStore(.sqlite) { store, database in
            _ = try await Self.populate(store)
            let oldBoxes = try await store.engine.read { sql in
                var boxes: [[UInt8]] = []
                for column in SealedColumn.all {
                    let rows = try await sql.raw("SELECT \(ident: column.sealedColumn) AS box FROM \(ident: column.table) WHERE \(ident: column.sealedColumn) IS NOT NULL").all()
                    boxes += try rows.map { try $0.bytes("box", table: column.table) }
                }
                return boxes
            }
            #expect(oldBoxes.count == 6)
            await store.close()
            let before = sqliteFileBytes(database)
            #expect(oldBoxes.allSatisfy { before.contains($0) }, "the search must find them before")

            _ = try await Self.rotate(database, from: .test, to: .other)
            let after = sqliteFileBytes(database)
            for box in oldBoxes {
                let present = after.contains(box)
                #expect(!present, "an old ciphertext is still in the database files")
            }
        }
    }
}
