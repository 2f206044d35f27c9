import Foundation
import LoRaWAN
import NetworkServer
import SQLKit
@testable import Storage
import Testing

/// DESIGN.md invariant 2 for the Network Server: a dump of the database holds no network session key,
/// and the key-encryption key rotation re-seals them.
@Suite("Network Server secrets at rest (invariant 2)")
struct NetworkSecretsAtRestTests {
    /// A 1.0 and a 1.1 session, the 1.0 one re-activated with new keys (the old keys must not linger
    /// either), and an update of each.
    private static func populate(_ store: GatehouseStore) async throws -> [NetworkSession] {
        let replaced = NetworkFixture.session(1, version: .v1_0_3)
        try await store.networkSessions.activate(replaced)
        let sessions = [try NetworkFixture.busySession(1, version: .v1_0_3), try NetworkFixture.busySession(2, version: .v1_1)]
        for session in sessions { try await store.networkSessions.activate(session) }
        let updates = sessions.map { NetworkSessionUpdate(session: $0.afterUplink(70_000), macStateChanged: true) }
        #expect(try await store.networkSessions.update(updates) == [true, true])
        return [replaced] + sessions.map { $0.afterUplink(70_000) }
    }

    /// Each key under a name, in every form it could take in a file or a dump.
    private static func forbidden(_ sessions: [NetworkSession]) -> [(String, [UInt8])] {
        var all: [(String, [UInt8])] = []
        for session in sessions {
            switch session.keys {
            case .legacy(let nwkSKey):
                all += nwkSKey.exportBytes().leakForms.map { ("NwkSKey of \(session.devEUI)", $0) }
            case .current(let fNwkSIntKey, let sNwkSIntKey, let nwkSEncKey, _):
                all += fNwkSIntKey.exportBytes().leakForms.map { ("FNwkSIntKey of \(session.devEUI)", $0) }
                all += sNwkSIntKey.exportBytes().leakForms.map { ("SNwkSIntKey of \(session.devEUI)", $0) }
                all += nwkSEncKey.exportBytes().leakForms.map { ("NwkSEncKey of \(session.devEUI)", $0) }
            }
            // The concatenation the store seals, in case it were stored unsealed.
            all += NetworkSessionRows.plaintext(session.keys).leakForms.map { ("sealed plaintext of \(session.devEUI)", $0) }
        }
        return all
    }

    // Each check reduces to a Bool first, so a failure prints its name, not the whole dump.
    private static func check(_ bytes: [UInt8], _ place: String, _ sessions: [NetworkSession]) {
        for session in sessions {
            // What is not secret must be found, or the search proves nothing.
            let found = bytes.contains(Array(session.devEUI.description.utf8))
            #expect(found, "\(place) should show the DevEUIs")
        }
        for (name, form) in forbidden(sessions) {
            let leaked = bytes.contains(form)
            #expect(!leaked, "\(place) holds the \(name)")
        }
    }

    @Test("neither the SQLite files nor `sqlite3 .dump` hold a network session key in any plain form")
    func sqliteHoldsNoKeys() async throws {
        try await withStore(.sqlite) { store, database in
            let sessions = try await Self.populate(store)
            Self.check(sqliteFileBytes(database), "the database files (open)", sessions)
            Self.check(try sqliteDump(database.sqlitePath), "the dump (open)", sessions)
            await store.close()
            Self.check(sqliteFileBytes(database), "the database files (closed)", sessions)
            Self.check(try sqliteDump(database.sqlitePath), "the dump (closed)", sessions)
        }
    }

    @Test("`pg_dump` holds no network session key in any plain form", .enabled(if: Backend.postgresURL != nil))
    func postgresHoldsNoKeys() async throws {
        try await withStore(.postgres) { store, database in
            let sessions = try await Self.populate(store)
            guard case .postgres(let url, let schema?) = database.configuration else { throw TestSetupFailure("not a PostgreSQL schema") }
            Self.check(try pgDump(url: url, schema: schema), "pg_dump", sessions)
        }
    }

    @Test("rotating the key-encryption key re-seals the network session keys, which the new key opens", arguments: Backend.available)
    func rotation(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let sessions = Array(try await Self.populate(store).dropFirst())
            let column = SealedColumn.networkSessionKeys
            let oldBoxes = try await store.engine.read { sql in
                try await sql.raw("SELECT \(ident: column.sealedColumn) AS box FROM \(ident: column.table)").all()
                    .map { try $0.bytes("box", table: column.table) }
            }
            #expect(oldBoxes.count == 2)
            await store.close()

            let count = try await GatehouseStore.rotateKeyEncryptionKey(
                database.configuration, from: .test, to: .other, logger: testLogger, at: Fixture.time(100))
            #expect(count == 2)
            if backend == .sqlite {
                let files = sqliteFileBytes(database)
                for box in oldBoxes {
                    let present = files.contains(box)
                    #expect(!present, "an old ciphertext is still in the database files")
                }
            }

            let reopened = try await database.open(key: .other)
            for session in sessions {
                let read = try await reopened.networkSessions.session(devEUI: session.devEUI)
                #expect(read == session)
                #expect(read.map { NetworkSessionRows.plaintext($0.keys) } == NetworkSessionRows.plaintext(session.keys))
            }
            let keyIDs = try await reopened.engine.read { sql in
                try await sql.raw("SELECT DISTINCT \(ident: column.keyIDColumn) AS id FROM \(ident: column.table)").all()
                    .map { try $0.decode(column: "id", as: String.self) }
            }
            #expect(keyIDs == [KeyEncryptionKey.other.id])
            await reopened.close()
        }
    }
}
