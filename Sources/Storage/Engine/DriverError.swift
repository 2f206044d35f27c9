import PostgresNIO

/// Turns a driver's error into a `StorageError` that is safe to log.
///
/// Driver errors can carry a failed query with its bind values (PostgresNIO's `String(reflecting:)`
/// does), and a bind value may be a sealed secret or a key hash. So only the parts that never hold
/// values survive: SQLite's reason and message (`UNIQUE constraint failed: gateways.eui`), PostgreSQL's
/// SQLSTATE and primary message (its `detail` field, which quotes key values, is dropped).
enum DriverError {
    static func storageError(_ error: any Error) -> any Error {
        switch error {
        case let error as StorageError:
            return error
        case let error as CancellationError:
            return error
        case let error as any TransactionAbort:
            return error
        case let error as SQLiteFailure:
            return StorageError.database(error.description)
        case let error as PSQLError:
            return StorageError.database(describe(error))
        default:
            // Decoding and other errors may quote the value they choked on: name the type only.
            return StorageError.database("\(type(of: error))")
        }
    }

    /// The SQLSTATE of a PostgreSQL server error (`40001` serialization failure, `23505` unique...).
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    private static func describe(_ error: PSQLError) -> String {
        guard let info = error.serverInfo else {
            // No server answer: a connection-level failure (refused, TLS, closed), whose cause names no values.
            return "PostgreSQL \(error.code)" + (error.underlying.map { " (\($0))" } ?? "")
        }
        let state = info[.sqlState] ?? "?????"
        let message = info[.message] ?? "\(error.code)"
        return "PostgreSQL \(state): \(message)"
    }
}
