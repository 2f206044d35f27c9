import Foundation
import NIOCore
import SQLKit
@testable import Storage
import Testing

/// The SQLite engine runs statements on the calling thread (``SQLiteInlineDatabase``): these pin down what
/// that must not change — values read back as written, waiting for another connection's lock, the
/// bounded statement cache, and checkpoints that still happen with SQLite's automatic one replaced.
@Suite("SQLite engine, statements on the calling thread")
struct SQLiteInlineEngineTests {
    private func withEngine(_ body: (SQLiteEngine, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-engine-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/engine.sqlite"
        let engine = try await SQLiteEngine.open(path: path, logger: testLogger)
        do {
            try await body(engine, path)
        } catch {
            await engine.close()
            throw error
        }
        await engine.close()
    }

    @Test("integers, doubles, text (with NUL and non-ASCII), blobs (empty too) and NULL read back as written")
    func valuesRoundTrip() async throws {
        try await withEngine { engine, _ in
            try await engine.transaction { sql in
                try await sql.raw("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, e BLOB, n TEXT)").run()
                try await sql.raw("""
                    INSERT INTO t VALUES (\(bind: Int64.min), \(bind: 2.5), \(bind: "a\u{0}é😀"), \(bind: Data([0, 1, 255])), \(bind: Data()), NULL)
                    """).run()
            }
            let row = try #require(try await engine.read { sql in try await sql.raw("SELECT * FROM t").first() })
            #expect(try row.decode(column: "i", as: Int64.self) == Int64.min)
            #expect(try row.decode(column: "d", as: Double.self) == 2.5)
            #expect(try row.decode(column: "s", as: String.self) == "a\u{0}é😀")
            #expect(try row.decode(column: "b", as: Data.self) == Data([0, 1, 255]))
            #expect(try row.decode(column: "e", as: Data.self) == Data())
            #expect(try row.decodeNil(column: "e") == false, "an empty blob is not NULL")
            #expect(try row.decodeNil(column: "n"))
            #expect(row.allColumns == ["i", "d", "s", "b", "e", "n"])
        }
    }

    @Test("a transaction waits for another connection's write lock, off the calling thread, and then commits")
    func waitsForAnotherWriter() async throws {
        try await withEngine { engine, path in
            try await engine.transaction { sql in try await sql.raw("CREATE TABLE t (v INTEGER)").run() }
            // A second engine on the same file is another writer, as the CLI beside the server is.
            let other = try await SQLiteEngine.open(path: path, logger: testLogger)
            let holding = AsyncStream<Void>.makeStream()
            let release = AsyncStream<Void>.makeStream()
            async let held: Void = other.transaction { sql in
                try await sql.raw("INSERT INTO t VALUES (1)").run()
                holding.continuation.yield()
                for await _ in release.stream { break }
            }
            for await _ in holding.stream { break }
            async let waiting: Void = engine.transaction { sql in try await sql.raw("INSERT INTO t VALUES (2)").run() }
            // The waiting transaction must not hold up this task's threads: reads still run meanwhile.
            let count = try await engine.read { sql in try await sql.raw("SELECT count(*) AS c FROM t").first(decodingColumn: "c", as: Int.self) }
            #expect(count == 0)
            release.continuation.yield()
            try await held
            try await waiting
            let values = try await engine.read { sql in
                try await sql.raw("SELECT v FROM t ORDER BY v").all(decodingColumn: "v", as: Int.self)
            }
            #expect(values == [1, 2])
            await other.close()
        }
    }

    @Test("more distinct statements than the cache holds all run, and a failed one leaves the connection usable")
    func statementCacheBound() async throws {
        try await withEngine { engine, _ in
            try await engine.transaction { sql in try await sql.raw("CREATE TABLE t (v INTEGER UNIQUE)").run() }
            let distinct = SQLiteHandle.statementCacheLimit + 40
            try await engine.transaction { sql in
                for value in 0..<distinct {
                    try await sql.raw("INSERT INTO t VALUES (\(unsafeRaw: String(value)))").run()
                }
            }
            await #expect(throws: StorageError.self) {
                try await engine.transaction { sql in try await sql.raw("INSERT INTO t VALUES (\(bind: 3))").run() }
            }
            let count = try await engine.read { sql in try await sql.raw("SELECT count(*) AS c FROM t").first(decodingColumn: "c", as: Int.self) }
            #expect(count == distinct)
            try await engine.transaction { sql in try await sql.raw("INSERT INTO t VALUES (\(bind: distinct))").run() }
        }
    }

    @Test("a cached statement run again with new values is not compiled again")
    func cachedStatementsStayCompiled() async throws {
        try await withEngine { engine, _ in
            try await engine.transaction { sql in
                try await sql.raw("CREATE TABLE p (id TEXT PRIMARY KEY NOT NULL)").run()
                try await sql.raw("CREATE TABLE q (p_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (p_id, position))").run()
                try await sql.raw("INSERT INTO p VALUES ('x'), ('y')").run()
                try await sql.raw("INSERT INTO q VALUES ('x', 0), ('x', 1)").run()
            }
            // The shape of the application lookup: SQLite 3.5x's planner marks `?` as a parameter whose
            // value may change the plan, and unbinding every parameter after a run (what
            // sqlite3_clear_bindings does) made it compile the statement again on every run.
            func query(_ id: String) -> SQLQueryString {
                "SELECT q.position FROM p LEFT JOIN q ON q.p_id = p.id WHERE p.id = \(bind: id) ORDER BY q.position"
            }
            try await engine.read { sql in
                var found: [Int?] = []
                for id in ["x", "y", "z", "x"] {
                    found += try await sql.raw(query(id)).all().map { try $0.decodeNil(column: "position") ? nil : $0.decode(column: "position", as: Int.self) }
                }
                #expect(found == [0, 1, nil, 0, 1])
                let handle = try #require((sql as? SQLiteInlineDatabase)?.handle)
                #expect(handle.timesRecompiled(sql.serialize(query("")).sql) == 0)
            }
            // Since bindings are not cleared between runs, a statement given fewer values than it has
            // parameters is refused rather than run with the last run's values.
            await #expect(throws: StorageError.self) {
                try await engine.read { sql in _ = try await sql.raw("SELECT \(unsafeRaw: "?1") AS v").all() }
            }
        }
    }

    @Test("with SQLite's automatic checkpoint replaced, a long WAL is still copied into the database file")
    func checkpointsStillHappen() async throws {
        try await withEngine { engine, path in
            try await engine.transaction { sql in try await sql.raw("CREATE TABLE t (b BLOB)").run() }
            let initialSize = try fileSize(path)
            let blob = Data(repeating: 0xA5, count: 3_000)
            // About 3,000 pages of 4 KiB: three times the checkpoint threshold.
            for _ in 0..<300 {
                try await engine.transaction { sql in
                    for _ in 0..<10 { try await sql.raw("INSERT INTO t VALUES (\(bind: blob))").run() }
                }
            }
            var grown = false
            for _ in 0..<100 where !grown {
                grown = try fileSize(path) > initialSize + 4_000_000
                if !grown { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(grown, "the database file holds the rows, not the WAL alone")
        }
    }

    private func fileSize(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    }
}
