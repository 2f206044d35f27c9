import Foundation
import Logging
import SQLKit
import NIOPosix
import SQLiteKit
import Synchronization

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
/// - no busy timeout on the calling thread: a statement that finds another process's lock fails at once
///   and starts again on the engine's thread pool, where it waits up to 5 s (``SQLiteInlineDatabase``).
/// - checkpoints off the request path: the writer's automatic checkpoint would copy the WAL into the
///   database (and sync it) inside whichever commit crossed 1,000 pages, on a cooperative thread; a
///   dedicated connection checkpoints passively on the thread pool instead, started by the commit that
///   crossed the mark.
/// - read connections are `query_only`, so a read path can never write by mistake.
///
/// Statements run on the calling thread with cached prepared statements (``SQLiteHandle``); see there why.
final class SQLiteEngine: DatabaseEngine {
    let flavor = SQLFlavor.sqlite

    private struct Session: Sendable {
        let handle: SQLiteHandle
        let sql: SQLiteInlineDatabase
    }

    private let writer: ConnectionLender<Session>
    private let readers: ConnectionLender<Session>
    private let checkpointer: WriteAheadLogCheckpointer
    private let threadPool: NIOThreadPool

    private init(writer: Session, readers: [Session], checkpointer: WriteAheadLogCheckpointer, threadPool: NIOThreadPool) {
        self.writer = ConnectionLender([writer])
        self.readers = ConnectionLender(readers)
        self.checkpointer = checkpointer
        self.threadPool = threadPool
    }

    /// Opens (creating when missing) the database file at `path`.
    /// - Parameter readerCount: read-only connections; reads run in parallel with the writer.
    static func open(path: String, readerCount: Int = 2, logger: Logger) async throws -> SQLiteEngine {
        try createPrivately(path)
        // Statements that must wait for another process's lock, and checkpoints, run here.
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        var opened: [SQLiteHandle] = []
        do {
            let session = { () throws -> Session in
                let handle = try SQLiteHandle.open(path: path)
                opened.append(handle)
                handle.setBusyTimeout(milliseconds: 0)
                return Session(handle: handle, sql: SQLiteInlineDatabase(
                    handle: handle, waitingPool: threadPool, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any()))
            }
            let writer = try session()
            let mode = try await writer.sql.raw("PRAGMA journal_mode = WAL").first(decodingColumn: "journal_mode", as: String.self)
            guard mode?.lowercased() == "wal" else {
                throw StorageError.database("SQLite refused WAL mode (journal_mode is \(mode ?? "unknown"))")
            }
            for pragma in ["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY"] {
                try await writer.sql.raw(SQLQueryString(pragma)).run()
            }
            let checkpoints = try session()
            // A connection learns the file is in WAL mode when it first reads it; until then a checkpoint
            // through it does nothing and reports success.
            _ = try await checkpoints.sql.raw("PRAGMA schema_version").all()
            let checkpointHandle = checkpoints.handle
            let checkpointer = WriteAheadLogCheckpointer(handle: checkpointHandle, threadPool: threadPool, logger: logger)
            // Replaces SQLite's automatic checkpoint, which is itself a WAL hook.
            writer.handle.observeWriteAheadLog(checkpointer.observer)
            var readers: [Session] = []
            for _ in 0..<max(1, readerCount) {
                let reader = try session()
                try await reader.sql.raw("PRAGMA query_only = ON").run()
                readers.append(reader)
            }
            return SQLiteEngine(writer: writer, readers: readers, checkpointer: checkpointer, threadPool: threadPool)
        } catch {
            for handle in opened { handle.close() }
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
                    // SQLite may have rolled back already (it does on some I/O errors).
                    if session.handle.isInTransaction { try? await session.sql.raw("ROLLBACK").run() }
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
        await checkpointer.close()
        for session in sessions { session.handle.close() }
        try? await threadPool.shutdownGracefully()
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
