import Foundation
import Logging
import SQLKit
import SQLiteKit

/// SQLite as the embedded database: one write connection, a few read-only connections, WAL.
///
/// Connection settings, and why:
/// - `journal_mode=WAL`: readers never block the writer nor the writer readers, and a commit appends
///   to the log instead of rewriting pages.
/// - `synchronous=NORMAL`: a commit is `write(2)` into the WAL without `fsync`; the WAL is synced at
///   checkpoints. A **process crash** (SIGKILL, abort) loses nothing that was committed: the bytes are
///   in the kernel's page cache, which outlives the process, and the next open replays the WAL. A
///   **power loss or kernel crash** can lose the last transactions committed since the latest sync (the
///   database stays consistent: WAL frames are checksummed and a torn tail is discarded). That bounded
///   risk buys the issuance rate (an `fsync` per commit costs milliseconds); deployments that cannot
///   accept it run on PostgreSQL with `synchronous_commit=on`.
/// - `foreign_keys=ON`: SQLite leaves them off per connection unless asked.
/// - `temp_store=MEMORY` (writer): a multi-row statement's statement journal stays in memory instead of
///   spilling to a temporary file created in /var/tmp for each such statement.
/// - `busy_timeout=5000`: another process holding the write lock makes us wait up to 5 s, then fail
///   with `SQLITE_BUSY`. It also replaces SQLiteNIO's default busy handler, which retries forever.
/// - read connections are `query_only`, so a read path can never write by mistake.
final class SQLiteEngine: DatabaseEngine {
    let flavor = SQLFlavor.sqlite

    private struct Session: Sendable {
        let connection: SQLiteConnection
        let sql: any SQLDatabase
    }

    private let writer: ConnectionLender<Session>
    private let readers: ConnectionLender<Session>
    private let threadPool: NIOThreadPool

    private init(writer: Session, readers: [Session], threadPool: NIOThreadPool) {
        self.writer = ConnectionLender([writer])
        self.readers = ConnectionLender(readers)
        self.threadPool = threadPool
    }

    /// Opens (creating when missing) the database file at `path`.
    /// - Parameter readerCount: read-only connections; reads run in parallel with the writer.
    static func open(path: String, readerCount: Int = 2, logger: Logger) async throws -> SQLiteEngine {
        try createPrivately(path)
        // Our own pool: libsqlite3 calls block, and a writer should not queue behind other NIO file I/O.
        let threadPool = NIOThreadPool(numberOfThreads: readerCount + 1)
        threadPool.start()
        var opened: [Session] = []
        do {
            let writer = try await openSession(path: path, threadPool: threadPool, logger: logger)
            opened.append(writer)
            let mode = try await writer.sql.raw("PRAGMA journal_mode = WAL").first(decodingColumn: "journal_mode", as: String.self)
            guard mode?.lowercased() == "wal" else {
                throw StorageError.database("SQLite refused WAL mode (journal_mode is \(mode ?? "unknown"))")
            }
            for pragma in ["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY"] {
                try await writer.sql.raw(SQLQueryString(pragma)).run()
            }
            var readers: [Session] = []
            for _ in 0..<max(1, readerCount) {
                let reader = try await openSession(path: path, threadPool: threadPool, logger: logger)
                opened.append(reader)
                try await reader.sql.raw("PRAGMA query_only = ON").run()
                readers.append(reader)
            }
            return SQLiteEngine(writer: writer, readers: readers, threadPool: threadPool)
        } catch {
            for session in opened { try? await session.connection.close() }
            try? await threadPool.shutdownGracefully()
            throw DriverError.storageError(error)
        }
    }

    func read<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result {
        do {
            return try await readers.withConnection { try await body($0.sql) }
        } catch {
            throw DriverError.storageError(error)
        }
    }

    func transaction<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result {
        do {
            return try await writer.withConnection { session in
                try await session.sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(session.sql)
                    try await session.sql.raw("COMMIT").run()
                    return result
                } catch {
                    // Fails harmlessly when SQLite already rolled back (it does on some I/O errors).
                    try? await session.sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        } catch {
            throw DriverError.storageError(error)
        }
    }

    func rewriteDiscardingDeletedRows(of tables: [String]) async throws {
        do {
            try await writer.withConnection { session in
                // Checkpoint first so VACUUM starts from a short WAL; truncate after, so the WAL's copies of
                // old pages go too. A reader in another process can keep a checkpoint from finishing;
                // `PRAGMA wal_checkpoint` then reports it busy rather than failing.
                try await session.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
                try await session.sql.raw("VACUUM").run()
                try await session.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
            }
        } catch {
            throw DriverError.storageError(error)
        }
    }

    func close() async {
        let sessions = await writer.drain() + readers.drain()
        for session in sessions { try? await session.connection.close() }
        try? await threadPool.shutdownGracefully()
    }

    private static func openSession(path: String, threadPool: NIOThreadPool, logger: Logger) async throws -> Session {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: threadPool, logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        // No query logging: sql-kit logs bind values, and binds include sealed secrets and key hashes.
        let sql = connection.sql(encoder: .init(), decoder: .init(), queryLogLevel: nil)
        try await sql.raw("PRAGMA busy_timeout = 5000").run()
        return Session(connection: connection, sql: sql)
    }

    /// Creates the directory (0700) and an empty database file (0600) when missing, so the file is never
    /// world-readable, not even for the moment between SQLite creating it and a later chmod. SQLite gives
    /// the `-wal` and `-shm` files the database file's permissions.
    private static func createPrivately(_ path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw StorageError.invalidConfiguration("cannot create the data directory \(directory): \(error.localizedDescription)")
        }
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            Foundation.close(descriptor)
        } else if errno != EEXIST {
            throw StorageError.invalidConfiguration("cannot create the database file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
