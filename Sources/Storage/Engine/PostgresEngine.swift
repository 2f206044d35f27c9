import Foundation
import Logging
import PostgresKit
import SQLKit

/// PostgreSQL, shared by several Gatehouse instances, through PostgresNIO's connection pool.
///
/// Transactions run at READ COMMITTED: the statements that decide something between instances lock the
/// rows they decide on (`SELECT ... FOR UPDATE` on the gateway before re-issuing, `UPDATE ... WHERE
/// revoked_at IS NULL` for revocation), and unique indexes back each rule. A transaction that still
/// fails with a serialization failure or a deadlock (SQLSTATE 40001, 40P01) is retried a few times.
final class PostgresEngine: DatabaseEngine {
    let flavor = SQLFlavor.postgres

    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    /// One permit per pooled connection: `close()` drains them, so it waits for running statements (as
    /// the SQLite engine does) and later calls fail with `.closed`.
    private let permits: ConnectionLender<Int>

    private static let retriedStates: Set<String> = ["40001", "40P01"]
    private static let attempts = 4

    private init(client: PostgresClient, runner: Task<Void, Never>, connections: Int, logger: Logger) {
        self.client = client
        permits = ConnectionLender(Array(0..<connections))
        self.runner = runner
        self.logger = logger
    }

    /// Connects, creates `schema` when given and missing, and only then starts the pool.
    static func open(url: String, schema: String?, logger: Logger) async throws -> PostgresEngine {
        let target = try PostgresConnectionURL(url)
        var startup: [(String, String)] = []
        if let schema {
            try validate(schema: schema)
            // A startup parameter, so every pooled connection has it before its first query.
            startup = [("search_path", schema)]
        }
        var driverLogger = logger
        // PostgresNIO's debug logs can include statements; keep them out unless tracing.
        if driverLogger.logLevel > .trace { driverLogger.logLevel = max(driverLogger.logLevel, .info) }
        try await firstContact(target, schema: schema, startup: startup, logger: driverLogger)

        var configuration = target.clientConfiguration()
        configuration.options.additionalStartupParameters = startup
        let client = PostgresClient(configuration: configuration, backgroundLogger: driverLogger)
        let runner = Task { await client.run() }
        return PostgresEngine(client: client, runner: runner, connections: configuration.options.maximumConnections, logger: driverLogger)
    }

    func read<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result {
        do {
            return try await permits.withConnection { _ in
                try await client.withConnection { connection in
                    try await body(connection.sql(queryLogLevel: nil, logger: logger))
                }
            }
        } catch {
            throw DriverError.storageError(error)
        }
    }

    func transaction<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await permits.withConnection { _ in try await transactionOnce(body) }
            } catch {
                if attempt < Self.attempts, let state = DriverError.sqlState(error), Self.retriedStates.contains(state) {
                    attempt += 1
                    continue
                }
                throw DriverError.storageError(error)
            }
        }
    }

    private func transactionOnce<Result: Sendable>(_ body: (any SQLDatabase) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            let sql = connection.sql(queryLogLevel: nil, logger: logger)
            try await sql.raw("BEGIN").run()
            do {
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func rewriteDiscardingDeletedRows(of tables: [String]) async throws {
        guard !tables.isEmpty else { return }
        do {
            try await permits.withConnection { _ in
                try await client.withConnection { connection in
                    var statement = SQLQueryString("VACUUM FULL ")
                    for (index, table) in tables.enumerated() {
                        statement += index == 0 ? "\(ident: table)" : ", \(ident: table)"
                    }
                    try await connection.sql(queryLogLevel: nil, logger: logger).raw(statement).run()
                }
            }
        } catch {
            throw DriverError.storageError(error)
        }
    }

    func close() async {
        _ = await permits.drain()
        runner.cancel()
        await runner.value
    }

    /// One direct connection before the pool: the pool retries failed connection attempts in the
    /// background, so a wrong password or an unreachable server would surface only as a hang; a
    /// single connection fails at once with the server's reason.
    private static func firstContact(
        _ target: PostgresConnectionURL, schema: String?, startup: [(String, String)], logger: Logger
    ) async throws {
        var configuration = try target.connectionConfiguration()
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = startup
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        } catch {
            throw DriverError.storageError(error)
        }
        do {
            let sql = connection.sql(queryLogLevel: nil, logger: logger)
            if let schema {
                do {
                    try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
                } catch where DriverError.sqlState(error).map({ ["23505", "42P06"].contains($0) }) == true {
                    // Another instance created it between our check and our insert: fine.
                }
            } else {
                try await sql.raw("SELECT 1").run()
            }
        } catch {
            try? await connection.close()
            throw DriverError.storageError(error)
        }
        try? await connection.close()
    }

    /// Schema names go into the search path and DDL as identifiers: keep them plain.
    private static func validate(schema: String) throws(StorageError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard let first = schema.first, first.isLetter || first == "_", schema.count <= 63, schema.allSatisfy(allowed.contains) else {
            throw .invalidConfiguration("schema '\(schema)' must be 1-63 lower-case letters, digits or _, starting with a letter or _")
        }
    }
}
