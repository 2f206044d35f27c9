import Foundation
import SQLiteNIO
import VaporCSQLite

/// One libsqlite3 connection, used by one task at a time (its ``ConnectionLender`` guarantees that),
/// with its prepared statements kept for reuse.
///
/// This is the SQLite that sqlite-nio vendors, called directly: the same library instance as sqlite-nio's
/// (two copies of SQLite in one process would each release the other's POSIX file locks), without
/// sqlite-nio's thread-pool job, event-loop hop and task resumption per statement. SQLite's work for one of
/// our statements is tens of microseconds; those hops cost more than that and kept the single writer busy
/// switching threads (README, performance). So statements run on the calling thread, and only the rare
/// statement that must *wait* (another process holds the write lock) moves to a thread pool.
final class SQLiteHandle: @unchecked Sendable {
    // @unchecked: the raw handle and the statement cache are touched only by the task that borrowed this
    // handle from its lender, one at a time (SQLite's multi-thread mode, `SQLITE_OPEN_NOMUTEX`).
    private var raw: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    /// Distinct statement texts kept prepared. Multi-row statements differ by their row count, so the
    /// cache is bounded; past the bound it starts over (re-preparing is what every statement cost before).
    static let statementCacheLimit = 256

    private init(raw: OpaquePointer) {
        self.raw = raw
    }

    /// Opens (creating when missing) the database file at `path`, waiting up to `busyTimeout` milliseconds
    /// for another process's lock when a statement runs on a thread pool (see ``SQLiteStatementRunner``).
    static func open(path: String) throws -> SQLiteHandle {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw SQLiteFailure(code: status, message: message)
        }
        return SQLiteHandle(raw: handle)
    }

    /// How long a statement may wait for another connection's lock, in milliseconds (0: fail at once with
    /// `SQLITE_BUSY`).
    func setBusyTimeout(milliseconds: Int32) {
        sqlite_nio_sqlite3_busy_timeout(raw, milliseconds)
    }

    /// The prepared statement for `sql`, compiled on first use and reset for reuse.
    func statement(for sql: String) throws -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        if statements.count >= Self.statementCacheLimit { finalizeStatements() }
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(raw, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw failure(status)
        }
        statements[sql] = statement
        return statement
    }

    /// How often SQLite has compiled the cached statement for `sql` again since it was prepared
    /// (`SQLITE_STMTSTATUS_REPREPARE`); `nil` when it is not cached. For tests and diagnostics.
    func timesRecompiled(_ sql: String) -> Int32? {
        statements[sql].map { sqlite_nio_sqlite3_stmt_status($0, SQLITE_STMTSTATUS_REPREPARE, 0) }
    }

    /// The error for `status`, with SQLite's message (it names constraints and tables, never bound values).
    func failure(_ status: Int32) -> SQLiteFailure {
        let message = sqlite_nio_sqlite3_errmsg(raw).map { String(cString: $0) } ?? String(cString: sqlite_nio_sqlite3_errstr(status))
        return SQLiteFailure(code: status, message: message)
    }

    var isInTransaction: Bool {
        sqlite_nio_sqlite3_get_autocommit(raw) == 0
    }

    /// Registers `observer` to hear the WAL's size after each commit on this connection.
    func observeWriteAheadLog(_ observer: WriteAheadLogObserver) {
        let context = Unmanaged.passUnretained(observer).toOpaque()
        _ = sqlite_nio_sqlite3_wal_hook(raw, { context, _, _, frames in
            guard let context else { return SQLITE_OK }
            Unmanaged<WriteAheadLogObserver>.fromOpaque(context).takeUnretainedValue().committed(walFrames: frames)
            return SQLITE_OK
        }, context)
    }

    /// Copies committed WAL frames into the database file without waiting for readers or writers
    /// (`SQLITE_CHECKPOINT_PASSIVE`).
    func checkpointPassively() throws {
        let status = sqlite_nio_sqlite3_wal_checkpoint_v2(raw, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        guard status == SQLITE_OK || status == SQLITE_BUSY else { throw failure(status) }
    }

    func close() {
        finalizeStatements()
        if let raw { sqlite_nio_sqlite3_close_v2(raw) }
        raw = nil
    }

    private func finalizeStatements() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements.removeAll(keepingCapacity: true)
    }

    deinit {
        close()
    }
}

/// A failed libsqlite3 call: its extended result code and SQLite's message.
struct SQLiteFailure: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    /// `SQLITE_BUSY` and its extended codes: another connection holds a lock this statement needs.
    var isBusy: Bool { code & 0xFF == SQLITE_BUSY }

    var description: String { "SQLite error \(code): \(message)" }
}

/// Hears each commit's WAL size from the connection it observes (called on the committing thread).
final class WriteAheadLogObserver: Sendable {
    private let onCommit: @Sendable (Int32) -> Void

    init(onCommit: @escaping @Sendable (Int32) -> Void) {
        self.onCommit = onCommit
    }

    func committed(walFrames: Int32) {
        onCommit(walFrames)
    }
}
