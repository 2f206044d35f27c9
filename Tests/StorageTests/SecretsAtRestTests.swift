import Foundation
import GatewayPKI
import Storage
import Testing

/// DESIGN.md invariant 2: a dump of the database holds no CA private key and no API key secret.
@Suite("Secrets at rest (invariant 2)")
struct SecretsAtRestTests {
    @Test("neither `sqlite3 .dump` nor the raw database and WAL files contain a CA key or an API key secret")
    func dumpHoldsNoSecrets() async throws {
        try await withStore(.sqlite) { store, database in
            let caKey = Fixture.randomBytes(138)
            let authority = Fixture.authority(key: caKey)
            try await store.authorities.save(authority, audit: Fixture.event(.caCreated))
            let apiKey = try await store.apiKeys.create(name: "ops", at: Fixture.epoch, actor: "cli")
            let secret = String(apiKey.plaintextKey.dropFirst(3 + 16 + 1))

            // The forms a secret could take in a dump: raw bytes, hex (how .dump prints blobs), base64, text.
            let forbidden: [(String, [UInt8])] = [
                ("CA key bytes", caKey),
                ("CA key hex", Array(Fixture.hex(caKey).utf8)),
                ("CA key hex, upper case", Array(Fixture.hex(caKey).uppercased().utf8)),
                ("CA key base64", Array(Data(caKey).base64EncodedString().utf8)),
                ("API key secret", Array(secret.utf8)),
                ("API key", Array(apiKey.plaintextKey.utf8)),
            ]
            // What is not secret must be found, or the search proves nothing (.dump prints blobs as X'lower-case hex').
            let certificateHex = Array(Fixture.hex(authority.certificateDER).utf8)

            // While open: most of the data is still in the WAL.
            try checkFiles(database, forbidden: forbidden, expecting: authority.certificateDER)
            try checkDump(database, forbidden: forbidden, expecting: certificateHex)

            await store.close()
            // Closed: the WAL is checkpointed into the database file.
            try checkFiles(database, forbidden: forbidden, expecting: authority.certificateDER)
            try checkDump(database, forbidden: forbidden, expecting: certificateHex)
        }
    }

    // Each check reduces to a Bool first, so a failure prints its name, not the whole dump.
    private func checkDump(_ database: TestDatabase, forbidden: [(String, [UInt8])], expecting visible: [UInt8]) throws {
        let dump = try sqliteDump(database.sqlitePath)
        let showsCertificate = dump.contains(visible)
        #expect(showsCertificate, "the dump should show the CA certificate")
        for (name, secret) in forbidden {
            let leaked = dump.contains(secret)
            #expect(!leaked, "the dump holds the \(name)")
        }
    }

    private func checkFiles(_ database: TestDatabase, forbidden: [(String, [UInt8])], expecting visible: [UInt8]) throws {
        var all: [UInt8] = []
        for suffix in ["", "-wal", "-shm"] {
            let path = database.sqlitePath + suffix
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let bytes = [UInt8](data)
            for (name, secret) in forbidden {
                let leaked = bytes.contains(secret)
                #expect(!leaked, "\(path) holds the \(name)")
            }
            all += bytes
        }
        let holdsCertificate = all.contains(visible)
        #expect(holdsCertificate, "the database files should hold the CA certificate")
    }

    private func sqliteDump(_ path: String) throws -> [UInt8] {
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
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs anywhere in these bytes.
    func contains(_ needle: [UInt8]) -> Bool {
        Data(self).range(of: Data(needle)) != nil
    }
}
