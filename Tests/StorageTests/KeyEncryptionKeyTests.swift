import Foundation
import Logging
@testable import Storage
import Testing

@Suite("Key-encryption key")
struct KeyEncryptionKeyTests {
    private let bytes: [UInt8] = (0..<32).map { UInt8($0 * 7 + 1) }

    @Test("hex and base64 (standard or URL, padded or not) read the same key")
    func encodings() throws {
        let hex = Fixture.hex(bytes)
        let base64 = Data(bytes).base64EncodedString()
        let url = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let reference = try KeyEncryptionKey(bytes: bytes)
        for text in [hex, hex.uppercased(), base64, url, "  \(base64)\n"] {
            #expect(try KeyEncryptionKey(encoded: text).id == reference.id)
        }
        #expect(reference.id.count == 16)
        #expect(try KeyEncryptionKey(bytes: Array(repeating: 1, count: 32)).id != reference.id)
    }

    @Test("a key of the wrong length or encoding is refused without echoing it")
    func malformed() {
        let short = Fixture.hex(Array(bytes.prefix(16)))
        for text in [short, Data(bytes.prefix(24)).base64EncodedString(), "not a key at all", ""] {
            do {
                _ = try KeyEncryptionKey(encoded: text)
                Issue.record("accepted a malformed key")
            } catch {
                #expect(!text.isEmpty ? !"\(error)".contains(text) : true)
                if case .keyEncryptionKeyInvalid = error {} else { Issue.record("unexpected error \(error)") }
            }
        }
        #expect(throws: StorageError.self) { try KeyEncryptionKey(bytes: Array(repeating: 0, count: 31)) }
    }

    @Test("the key prints as its id only")
    func redacted() throws {
        let key = try KeyEncryptionKey(bytes: bytes)
        for text in ["\(key)", String(reflecting: key), "\(Mirror(reflecting: key).children.map { "\($0.value)" })"] {
            #expect(text.contains(key.id))
            #expect(!text.lowercased().contains(Fixture.hex(bytes)))
            #expect(!text.contains(Data(bytes).base64EncodedString()))
        }
        #expect(!"\(KeyEncryptionKeySource.encoded(Fixture.hex(bytes)))".contains(Fixture.hex(bytes)))
    }

    @Test("a sealed secret opens only with its key and for its row")
    func sealing() throws {
        let sealer = SecretSealer(key: .test)
        let binding = SecretBinding(table: "authorities", column: "private_key_sealed", row: "a")
        let sealed = try sealer.seal(bytes, for: binding)
        #expect(try sealer.open(sealed, for: binding) == bytes)
        #expect(!sealed.box.contains(bytes))
        #expect(try sealer.seal(bytes, for: binding).box != sealed.box, "each seal uses a fresh nonce")
        #expect(throws: StorageError.secretRejected(table: "authorities", row: "b")) {
            try sealer.open(sealed, for: SecretBinding(table: "authorities", column: "private_key_sealed", row: "b"))
        }
        var tampered = sealed.box
        tampered[tampered.count - 1] ^= 1
        #expect(throws: StorageError.secretRejected(table: "authorities", row: "a")) {
            try sealer.open(SealedSecret(keyID: sealed.keyID, box: tampered), for: binding)
        }
        #expect(throws: StorageError.wrongKeyEncryptionKey(configuredKeyID: KeyEncryptionKey.other.id, databaseKeyIDs: [KeyEncryptionKey.test.id])) {
            try SecretSealer(key: .other).open(sealed, for: binding)
        }
    }
}

@Suite("Key-encryption key source")
struct KeyEncryptionKeySourceTests {
    private let embedded = StorageConfiguration.embedded(dataDirectory: "/tmp/unused")
    private let postgres = StorageConfiguration.postgres(url: "postgres://u:p@localhost/db")

    @Test("GATEHOUSE_KEK, then GATEHOUSE_KEK_FILE, then a generated file for SQLite only")
    func precedence() throws {
        #expect(try KeyEncryptionKeySource.fromEnvironment(["GATEHOUSE_KEK": "k"], storage: postgres, dataDirectory: "d") == .encoded("k"))
        #expect(try KeyEncryptionKeySource.fromEnvironment(["GATEHOUSE_KEK_FILE": "/f"], storage: postgres, dataDirectory: "d") == .file(path: "/f"))
        #expect(try KeyEncryptionKeySource.fromEnvironment([:], storage: embedded, dataDirectory: "d") == .generatedFile(dataDirectory: "d"))
        #expect(try KeyEncryptionKeySource.fromEnvironment(["GATEHOUSE_KEK": ""], storage: embedded, dataDirectory: "d") == .generatedFile(dataDirectory: "d"))
        #expect(throws: StorageError.self) {
            try KeyEncryptionKeySource.fromEnvironment(["GATEHOUSE_KEK": "k", "GATEHOUSE_KEK_FILE": "/f"], storage: embedded, dataDirectory: "d")
        }
        do {
            _ = try KeyEncryptionKeySource.fromEnvironment([:], storage: postgres, dataDirectory: "d")
            Issue.record("PostgreSQL accepted a generated key")
        } catch {
            if case .keyEncryptionKeyMissing = error {} else { Issue.record("unexpected error \(error)") }
        }
    }

    @Test("the generated key file is created once, mode 0600, and read back on the next start")
    func generatedFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-kek-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = KeyEncryptionKeySource.generatedFile(dataDirectory: directory + "/data")
        let first = try source.load(logger: testLogger)
        let path = directory + "/data/kek"
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(try source.load(logger: testLogger).id == first.id)
        #expect(try KeyEncryptionKeySource.file(path: path).load(logger: testLogger).id == first.id)
    }

    @Test("a key file may hold hex, base64 or 32 raw bytes")
    func keyFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-kek-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes = Fixture.randomBytes(32)
        let expected = try KeyEncryptionKey(bytes: bytes).id
        for (name, contents) in [("raw", Data(bytes)), ("hex", Data((Fixture.hex(bytes) + "\n").utf8)), ("b64", Data(Data(bytes).base64EncodedString().utf8))] {
            let path = directory + "/" + name
            #expect(FileManager.default.createFile(atPath: path, contents: contents, attributes: [.posixPermissions: 0o600]))
            #expect(try KeyEncryptionKeySource.file(path: path).load(logger: testLogger).id == expected)
        }
        #expect(throws: StorageError.self) { try KeyEncryptionKeySource.file(path: directory + "/missing").load(logger: testLogger) }
    }
}

@Suite("Storage configuration")
struct StorageConfigurationTests {
    @Test("the description hides a PostgreSQL password")
    func redactsPassword() {
        let configuration = StorageConfiguration.postgres(url: "postgres://gatehouse:s3cret@db.example:5432/gatehouse?sslmode=require", schema: "prod")
        #expect(!"\(configuration)".contains("s3cret"))
        #expect("\(configuration)".contains("db.example"))
    }

    @Test("malformed PostgreSQL URLs and schema names are refused before connecting")
    func malformed() async {
        for url in ["mysql://u@h/db", "postgres://h/db", "postgres://u@/db", "postgres://u@h/db?sslmode=sometimes"] {
            await #expect(throws: StorageError.self) {
                _ = try await GatehouseStore.open(.postgres(url: url), keyEncryptionKey: .test, logger: testLogger)
            }
        }
        await #expect(throws: StorageError.self) {
            _ = try await GatehouseStore.open(.postgres(url: "postgres://u@127.0.0.1:1/db", schema: "Robert'); DROP"), keyEncryptionKey: .test, logger: testLogger)
        }
    }
}
