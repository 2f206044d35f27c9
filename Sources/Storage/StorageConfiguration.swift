import Foundation

/// Where Gatehouse keeps its state: an embedded SQLite file (the default, one instance) or a PostgreSQL
/// database shared by several instances.
///
/// Both run the same SQL (see ``GatehouseStore``); switching is this one value. The description hides
/// the password of a PostgreSQL URL, so the configuration can be logged.
public enum StorageConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// SQLite in WAL mode at this file path (created with its directory when missing).
    case sqlite(path: String)
    /// PostgreSQL at this `postgres://user:password@host:port/database?sslmode=...` URL.
    ///
    /// `schema`, when given, is created if missing and is the only schema on the search path, so several
    /// deployments (or test runs) can share one database without seeing each other's tables.
    case postgres(url: String, schema: String? = nil)

    /// The SQLite file's name inside the data directory.
    public static let sqliteFileName = "gatehouse.sqlite"

    /// The embedded default: SQLite in `dataDirectory`.
    public static func embedded(dataDirectory: String) -> StorageConfiguration {
        .sqlite(path: URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent(sqliteFileName).path)
    }

    /// Whether this is the embedded database (one instance, files in the data directory).
    public var isEmbedded: Bool {
        if case .sqlite = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .sqlite(let path):
            return "SQLite at \(path)"
        case .postgres(let url, let schema):
            let target = PostgresConnectionURL.redacted(url)
            return schema.map { "PostgreSQL at \(target), schema \($0)" } ?? "PostgreSQL at \(target)"
        }
    }
}
