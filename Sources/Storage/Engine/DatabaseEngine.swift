import SQLKit

/// The SQL database family under the shared SQL. Almost every statement is the same text on both;
/// this says where they differ (DDL types come from sql-kit's dialects; locking and transactions from here).
enum SQLFlavor: String, Sendable {
    case sqlite
    case postgres
}

/// A pool of connections to one database, reduced to the two ways Gatehouse uses it.
///
/// sql-kit 3 has no transaction API (`withSession` only pins a connection), so each engine begins and
/// ends transactions on its driver connection: `BEGIN IMMEDIATE` on SQLite (takes the write lock up
/// front, so two writers never deadlock upgrading read locks), `BEGIN` on PostgreSQL (READ COMMITTED;
/// statements that must serialise lock their rows with `SELECT ... FOR UPDATE`).
protocol DatabaseEngine: Sendable {
    var flavor: SQLFlavor { get }

    /// Runs reads on one connection, outside a transaction (each statement sees the latest commit).
    func read<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result

    /// Runs `body` in one write transaction on one connection: committed when `body` returns, rolled back
    /// when it throws (and the error rethrown). Keep `body` short: on SQLite it holds the only write lock.
    func transaction<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result

    /// Rewrites `tables` so that rows deleted or overwritten before are gone from the database's files,
    /// not merely marked free (after a key-encryption key rotation: the ciphertexts under the old key).
    /// SQLite rewrites the whole file (`VACUUM`) and empties the WAL; PostgreSQL rewrites each table
    /// (`VACUUM FULL`), which locks it meanwhile. Runs outside any transaction.
    func rewriteDiscardingDeletedRows(of tables: [String]) async throws

    /// Waits for borrowed connections to come back and closes them; later calls fail with `.closed`.
    func close() async
}
