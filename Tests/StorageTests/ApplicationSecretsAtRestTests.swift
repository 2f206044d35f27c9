import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

/// DESIGN.md invariant 2 for the Application Server: a dump of the database holds no AppSKey and no
/// webhook secret, and the key-encryption key rotation re-seals both.
@Suite("Application Server secrets at rest (invariant 2)")
struct ApplicationSecretsAtRestTests {
    /// Two sessions and two applications, each with its own secret.
    private struct Secrets {
        let sessions: [ApplicationSession]
        let applications: [Application]

        /// Each secret under a name, in every form it could take in a file or a dump.
        var forbidden: [(String, [UInt8])] {
            var all: [(String, [UInt8])] = []
            for session in sessions {
                all += session.appSKey.exportBytes().leakForms.map { ("AppSKey of \(session.devEUI)", $0) }
            }
            for application in applications {
                let text = application.webhookSecret.exportText()
                all += Array(text.utf8).leakForms.map { ("webhook secret of \(application.id)", $0) }
                // The random part alone, as it is (hex) and as bytes.
                let random = String(text.dropFirst("whsec_".count))
                all.append(("webhook secret of \(application.id), random part", Array(random.utf8)))
                all += (Hex.decode(random) ?? []).leakForms.map { ("webhook secret bytes of \(application.id)", $0) }
            }
            return all
        }

        /// What is not secret, and must be found, or the search proves nothing.
        var visible: [[UInt8]] {
            sessions.map { Array($0.devEUI.description.utf8) } + applications.map { Array($0.name.utf8) }
        }
    }

    private static func populate(_ store: GatehouseStore) async throws -> Secrets {
        let sessions = [ApplicationFixture.session(1, keyID: 0x11), ApplicationFixture.session(2, keyID: 0x22)]
        for session in sessions { try await store.applicationSessions.store(session) }
        let applications = [ApplicationFixture.application("fleet"), ApplicationFixture.application("lab", webhooks: 0)]
        for application in applications { try await store.applications.save(application) }
        #expect(try await store.applications.assign(sessions[0].devEUI, to: applications[0].id))
        return Secrets(sessions: sessions, applications: applications)
    }

    private static func expectReadable(_ secrets: Secrets, in store: GatehouseStore) async throws {
        for session in secrets.sessions {
            let read = try await store.applicationSessions.session(devEUI: session.devEUI, sessionKeyID: session.sessionKeyID)
            #expect(read == session)
            #expect(read?.appSKey.exportBytes() == session.appSKey.exportBytes())
        }
        for application in secrets.applications {
            let read = try await store.applications.application(application.id)
            #expect(read == application)
            #expect(read?.webhookSecret.exportText() == application.webhookSecret.exportText())
        }
    }

    // Each check reduces to a Bool first, so a failure prints its name, not the whole dump.
    private static func check(_ bytes: [UInt8], _ place: String, _ secrets: Secrets) {
        for visible in secrets.visible {
            let found = bytes.contains(visible)
            #expect(found, "\(place) should show the DevEUIs and application names")
        }
        for (name, form) in secrets.forbidden {
            let leaked = bytes.contains(form)
            #expect(!leaked, "\(place) holds the \(name)")
        }
    }

    @Test("neither the SQLite files nor `sqlite3 .dump` hold an AppSKey or a webhook secret in any plain form")
    func sqliteHoldsNoSecrets() async throws {
        try await withStore(.sqlite) { store, database in
            var secrets = try await Self.populate(store)
            // Replaced secrets too: a replacement seals again.
            var replaced = secrets.applications[0]
            replaced.webhookSecret = .generate()
            try await store.applications.save(replaced)
            let newer = ApplicationFixture.session(1, keyID: 0x11, at: 5)
            try await store.applicationSessions.store(newer)
            secrets = Secrets(sessions: secrets.sessions + [newer], applications: secrets.applications + [replaced])

            Self.check(sqliteFileBytes(database), "the database files (open)", secrets)
            Self.check(try sqliteDump(database.sqlitePath), "the dump (open)", secrets)
            await store.close()
            Self.check(sqliteFileBytes(database), "the database files (closed)", secrets)
            Self.check(try sqliteDump(database.sqlitePath), "the dump (closed)", secrets)
        }
    }

    @Test("`pg_dump` holds no AppSKey and no webhook secret in any plain form", .enabled(if: Backend.postgresURL != nil))
    func postgresHoldsNoSecrets() async throws {
        try await withStore(.postgres) { store, database in
            let secrets = try await Self.populate(store)
            guard case .postgres(let url, let schema?) = database.configuration else { throw TestSetupFailure("not a PostgreSQL schema") }
            Self.check(try pgDump(url: url, schema: schema), "pg_dump", secrets)
        }
    }

    @Test("rotating the key-encryption key re-seals AppSKeys and webhook secrets, which the new key opens", arguments: Backend.available)
    func rotation(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let secrets = try await Self.populate(store)
            let oldBoxes = try await store.engine.read { sql in
                var boxes: [[UInt8]] = []
                for column in [SealedColumn.appSKey, SealedColumn.webhookSecret] {
                    let rows = try await sql.raw("SELECT \(ident: column.sealedColumn) AS box FROM \(ident: column.table)").all()
                    boxes += try rows.map { try $0.bytes("box", table: column.table) }
                }
                return boxes
            }
            #expect(oldBoxes.count == 4)
            await store.close()

            let count = try await GatehouseStore.rotateKeyEncryptionKey(
                database.configuration, from: .test, to: .other, logger: testLogger, at: Fixture.time(100))
            #expect(count == 4)
            if backend == .sqlite {
                let files = sqliteFileBytes(database)
                for box in oldBoxes {
                    let present = files.contains(box)
                    #expect(!present, "an old ciphertext is still in the database files")
                }
            }

            let reopened = try await database.open(key: .other)
            try await Self.expectReadable(secrets, in: reopened)
            let keyIDs = try await reopened.engine.read { sql in
                var ids: Set<String> = []
                for column in [SealedColumn.appSKey, SealedColumn.webhookSecret] {
                    for row in try await sql.raw("SELECT DISTINCT \(ident: column.keyIDColumn) AS id FROM \(ident: column.table)").all() {
                        ids.insert(try row.decode(column: "id", as: String.self))
                    }
                }
                return ids
            }
            #expect(keyIDs == [KeyEncryptionKey.other.id])
            // And new secrets are sealed under the new key.
            try await reopened.applicationSessions.store(ApplicationFixture.session(3, keyID: 0x33))
            #expect(try await reopened.applicationSessions.latestSession(devEUI: ApplicationFixture.devEUI(3)) != nil)
            await reopened.close()
        }
    }
}

/// `pg_dump` of one schema, as bytes.
func pgDump(url: String, schema: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["pg_dump", "--dbname=\(url)", "--schema=\(schema)", "--no-owner"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestSetupFailure("`pg_dump` exited with \(process.terminationStatus); is the PostgreSQL client installed (Debian package postgresql-client)?")
    }
    return [UInt8](data)
}
