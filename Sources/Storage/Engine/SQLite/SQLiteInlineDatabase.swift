import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import VaporCSQLite

/// sql-kit's ``SQLDatabase`` over one borrowed ``SQLiteHandle``, running each statement on the calling
/// thread with its cached prepared statement.
///
/// A statement that finds the database locked by another connection (another process's writer, or a
/// checkpoint restarting the WAL) does not block the calling thread, which belongs to Swift's cooperative
/// pool: it starts again on `waitingPool`, where SQLite's busy timeout lets it wait up to 5 s.
struct SQLiteInlineDatabase: SQLDatabase {
    let handle: SQLiteHandle
    let waitingPool: NIOThreadPool
    let logger: Logger
    let eventLoop: any EventLoop

    /// Milliseconds a statement moved to the waiting pool waits for a lock before failing with `SQLITE_BUSY`.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    var dialect: any SQLDialect { SQLiteDialect() }
    // No query logging: binds include sealed secrets and key hashes.
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let values = try binds.map(SQLiteBindValue.data)
        var rowsDelivered = false
        do {
            try Self.step(handle, sql, values, onRow, rowsDelivered: &rowsDelivered)
        } catch let failure as SQLiteFailure where failure.isBusy && !rowsDelivered {
            let handle = handle
            try await waitingPool.runIfActive {
                handle.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
                defer { handle.setBusyTimeout(milliseconds: 0) }
                var rowsDelivered = false
                try SQLiteInlineDatabase.step(handle, sql, values, onRow, rowsDelivered: &rowsDelivered)
            }
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await execute(sql: query, onRow) }
        return promise.futureResult
    }

    /// Runs `sql` to completion on this thread. With no busy timeout set, a lock held elsewhere fails at once
    /// with `SQLITE_BUSY`; `rowsDelivered` says whether running it again would repeat rows.
    private static func step(
        _ handle: SQLiteHandle, _ sql: String, _ values: [SQLiteData], _ onRow: (any SQLRow) -> Void, rowsDelivered: inout Bool
    ) throws {
        let statement = try handle.statement(for: sql)
        // Not sqlite3_clear_bindings: it marks a statement whose plan may depend on a parameter as
        // expired, so SQLite compiled it again on every run. Every parameter is bound anew below,
        // so nothing of the last run's values is used (and bound values are never plaintext secrets).
        defer { sqlite_nio_sqlite3_reset(statement) }
        let parameters = Int(sqlite_nio_sqlite3_bind_parameter_count(statement))
        guard values.count == parameters else {
            throw SQLiteFailure(code: SQLITE_RANGE, message: "the statement has \(parameters) parameters and \(values.count) values were given")
        }
        for (index, value) in values.enumerated() {
            let status = bind(value, at: Int32(index + 1), to: statement)
            guard status == SQLITE_OK else { throw handle.failure(status) }
        }
        var columns: SQLiteResultColumns?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            switch status {
            case SQLITE_ROW:
                let names = columns ?? SQLiteResultColumns(statement)
                columns = names
                rowsDelivered = true
                onRow(SQLiteResultRow(columns: names, values: SQLiteResultRow.values(of: statement, count: names.count)))
            case SQLITE_DONE:
                return
            default:
                throw handle.failure(status)
            }
        }
    }

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer):
            return sqlite_nio_sqlite3_bind_int64(statement, index, Int64(integer))
        case .float(let double):
            return sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .text(let text):
            return sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), sqliteTransient, UInt8(SQLITE_UTF8))
        case .blob(let buffer):
            return buffer.withUnsafeReadableBytes { bytes in
                // A zero-length blob with a nil pointer would bind NULL: bind an empty blob explicitly.
                bytes.isEmpty
                    ? sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0)
                    : sqlite_nio_sqlite3_bind_blob64(statement, index, bytes.baseAddress, UInt64(bytes.count), sqliteTransient)
            }
        case .null:
            return sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }
}

/// SQLite copies a bound value before the bind call returns (`SQLITE_TRANSIENT`), so Swift's buffers may go.
nonisolated(unsafe) let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
