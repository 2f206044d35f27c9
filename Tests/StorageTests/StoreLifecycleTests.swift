import Foundation
import GatewayPKI
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

@Suite("Opening, migrating and reopening a store")
struct StoreLifecycleTests {
    @Test("migrations are idempotent: a second open applies nothing and records each step once", arguments: Backend.available)
    func migrationsIdempotent(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            #expect(store.schemaVersion == Migration.all.count)
            let again = try await database.open()
            #expect(again.schemaVersion == Migration.all.count)
            let recorded = try await again.engine.read { sql in
                try await sql.raw("SELECT version FROM schema_migrations ORDER BY version").all(decodingColumn: "version", as: Int64.self)
            }
            #expect(recorded == Migration.all.map { Int64($0.version) })
            await again.close()
        }
    }

    @Test("migrations are numbered 1, 2, 3... with distinct names")
    func migrationNumbering() {
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count))
        #expect(Set(Migration.all.map(\.name)).count == Migration.all.count)
    }

    @Test("a database from a newer release is refused", arguments: Backend.available)
    func newerSchema(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            try await store.engine.transaction { sql in
                try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)").run()
            }
            await #expect(throws: StorageError.schemaNewerThanCode(databaseVersion: 999, knownVersion: Migration.all.count)) {
                _ = try await database.open()
            }
        }
    }

    @Test("everything survives closing and reopening", arguments: Backend.available)
    func survivesReopen(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let gateway = Fixture.gateway(1)
            _ = try await store.gateways.insert(gateway, audit: Fixture.event(.gatewayRegistered, gateway: 1))
            let certificate = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(5))
            _ = try await store.certificates.recordIssuance(certificate, at: Fixture.time(5), audit: [Fixture.event(.certificateIssued, gateway: 1)])
            let authority = Fixture.authority()
            try await store.authorities.save(authority, audit: Fixture.event(.caCreated))
            let crl = CRLRecord(issuerID: authority.id, number: 7, thisUpdate: Fixture.time(1), nextUpdate: Fixture.time(2), der: [1, 2, 3])
            _ = try await store.crls.store(crl)
            let key = try await store.apiKeys.create(name: "ops", at: Fixture.time(6), actor: "cli")
            await store.close()
            await #expect(throws: StorageError.closed) { _ = try await store.gateways.gateway(gateway.eui) }

            let reopened = try await database.open()
            #expect(try await reopened.gateways.gateway(gateway.eui) == gateway)
            #expect(try await reopened.certificates.certificate(serial: certificate.serial) == certificate)
            #expect(try await reopened.authorities.authority(id: authority.id) == authority)
            #expect(try await reopened.crls.latest(issuerID: authority.id) == crl)
            #expect(try await reopened.apiKeys.verify(presented: key.plaintextKey) == key.record)
            #expect(try await reopened.audit.events(gateway: nil, from: nil, to: nil, limit: 10).count == 4)
            await reopened.close()
        }
    }

    @Test("a wrong key-encryption key fails the open, naming both key ids and nothing secret", arguments: Backend.available)
    func wrongKey(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            try await store.authorities.save(Fixture.authority(), audit: Fixture.event(.caCreated))
            let expected = StorageError.wrongKeyEncryptionKey(configuredKeyID: KeyEncryptionKey.other.id, databaseKeyIDs: [KeyEncryptionKey.test.id])
            do {
                _ = try await database.open(key: .other)
                Issue.record("opening with the wrong key succeeded")
            } catch let error as StorageError {
                #expect(error == expected)
                #expect("\(error)".contains("wrong key-encryption key"))
                #expect(!"\(error)".contains(Fixture.hex(Array(repeating: 0x6F, count: 32))))
            }
            // The right key still opens it.
            let again = try await database.open(key: .test)
            #expect(try await again.authorities.authority(id: "issuer-1") != nil)
            await again.close()
        }
    }

    @Test("a CA key sealed under another key-encryption key is reported as a wrong key", arguments: Backend.available)
    func rowSealedUnderOtherKey(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.authorities.save(Fixture.authority(), audit: Fixture.event(.caCreated))
            let foreign = try SecretSealer(key: .other).seal([1, 2, 3], for: SQLAuthorityRepository.binding("issuer-1"))
            try await store.engine.transaction { sql in
                try await sql.raw("""
                    UPDATE authorities SET private_key_sealed = \(bind: Data(foreign.box)), private_key_kek_id = \(bind: foreign.keyID)
                    """).run()
            }
            await #expect(throws: StorageError.wrongKeyEncryptionKey(configuredKeyID: KeyEncryptionKey.test.id, databaseKeyIDs: [KeyEncryptionKey.other.id])) {
                _ = try await store.authorities.authorities()
            }
        }
    }
}

@Suite("SQLite connection settings")
struct SQLiteSettingsTests {
    @Test("WAL, foreign keys, synchronous NORMAL, and private file modes")
    func settings() async throws {
        try await withStore(.sqlite) { store, database in
            let (journal, foreignKeys, synchronous) = try await store.engine.transaction { sql in
                (
                    try await sql.raw("PRAGMA journal_mode").first(decodingColumn: "journal_mode", as: String.self),
                    try await sql.raw("PRAGMA foreign_keys").first(decodingColumn: "foreign_keys", as: Int.self),
                    try await sql.raw("PRAGMA synchronous").first(decodingColumn: "synchronous", as: Int.self)
                )
            }
            #expect(journal == "wal")
            #expect(foreignKeys == 1)
            #expect(synchronous == 1)  // NORMAL
            let mode = try FileManager.default.attributesOfItem(atPath: database.sqlitePath)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            // Read connections cannot write.
            await #expect(throws: StorageError.self) {
                try await store.engine.read { sql in try await sql.raw("DELETE FROM gateways").run() }
            }
        }
    }
}

@Suite("PostgreSQL connection failures")
struct PostgresConnectionFailureTests {
    @Test("a wrong password fails the open with the server's reason, without retrying forever, and the error does not repeat the password",
          .enabled(if: Backend.postgresURL != nil))
    func wrongPassword() async throws {
        let url = try #require(Backend.postgresURL.flatMap { URLComponents(string: $0) })
        var wrong = url
        wrong.password = "not-the-password-\(UUID().uuidString)"
        let target = try #require(wrong.string)
        let password = try #require(wrong.password)
        // A liveness bound, not a speed check: an open that retried a refused login would never end.
        let outcome = await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    _ = try await GatehouseStore.open(.postgres(url: target), keyEncryptionKey: .test, logger: testLogger)
                    return "opened with a wrong password"
                } catch {
                    return "\(error)"
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(120))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        let message = try #require(outcome, "the open was still retrying after 120 s")
        #expect(!message.contains(password))
        #expect(message.contains("28P01"), "SQLSTATE invalid_password: \(message)")
    }
}
