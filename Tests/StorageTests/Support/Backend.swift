import Foundation
import Logging
import SQLKit
@testable import Storage
import Testing

/// A database the repository suite runs on: SQLite always, PostgreSQL when
/// `GATEHOUSE_TEST_POSTGRES_URL` is set (`eval "$(scripts/postgres start)"` sets it).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static let postgresURL = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The backends of this run.
    static var available: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// Quiet unless a test turns it up: the code under test logs, the tests read return values.
let testLogger: Logger = {
    var logger = Logger(label: "gatehouse.storage.tests")
    logger.logLevel = .error
    return logger
}()

/// A fresh, empty database on one backend, with a place to reopen it: a temporary SQLite file, or a
/// PostgreSQL schema of its own so tests running in parallel never see each other's rows.
final class TestDatabase: Sendable {
    let backend: Backend
    let configuration: StorageConfiguration
    /// The SQLite directory (also used for scratch files on PostgreSQL).
    let directory: String

    init(_ backend: Backend) throws {
        self.backend = backend
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gatehouse-storage-\(UUID().uuidString)", isDirectory: true).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            configuration = .embedded(dataDirectory: directory)
        case .postgres:
            guard let url = Backend.postgresURL else { throw TestSetupFailure("GATEHOUSE_TEST_POSTGRES_URL is not set") }
            let schema = "gh_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            configuration = .postgres(url: url, schema: String(schema))
        }
    }

    var sqlitePath: String { directory + "/" + StorageConfiguration.sqliteFileName }

    func open(key: KeyEncryptionKey = .test) async throws -> GatehouseStore {
        try await GatehouseStore.open(configuration, keyEncryptionKey: key, logger: testLogger, at: Fixture.epoch)
    }

    /// Drops the PostgreSQL schema and removes the directory.
    func destroy() async {
        if case .postgres(let url, let schema?) = configuration, let engine = try? await PostgresEngine.open(url: url, schema: nil, logger: testLogger) {
            _ = try? await engine.read { sql in try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run() }
            await engine.close()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Runs `body` with a freshly opened store on `backend`, then closes and removes everything.
func withStore(_ backend: Backend, _ body: (GatehouseStore, TestDatabase) async throws -> Void) async throws {
    let database = try TestDatabase(backend)
    do {
        let store = try await database.open()
        do {
            try await body(store, database)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    } catch {
        await database.destroy()
        throw error
    }
    await database.destroy()
}

struct TestSetupFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension KeyEncryptionKey {
    /// A fixed key for tests; `other` is a second one.
    static let test: KeyEncryptionKey = {
        guard let key = try? KeyEncryptionKey(bytes: Array(repeating: 0x4B, count: 32)) else { fatalError("32 bytes are a valid key") }
        return key
    }()

    static let other: KeyEncryptionKey = {
        guard let key = try? KeyEncryptionKey(bytes: Array(repeating: 0x6F, count: 32)) else { fatalError("32 bytes are a valid key") }
        return key
    }()
}
