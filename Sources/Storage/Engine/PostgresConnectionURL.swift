import Foundation
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=...` URL, read into the two configurations
/// PostgresNIO wants: one for the pool, one for a single connection.
///
/// `sslmode` follows libpq's names: `disable`, `prefer` (the default: TLS when the server offers it),
/// `require`, `verify-ca` and `verify-full` (TLS with certificate and host name verification; NIOSSL
/// always verifies, so the three are one here).
struct PostgresConnectionURL: Sendable {
    private enum TLSMode: Sendable { case disable, prefer, require }

    let host: String
    let port: Int
    let username: String
    let password: String?
    let database: String?
    private let tlsMode: TLSMode

    init(_ text: String) throws(StorageError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw .invalidConfiguration("the PostgreSQL URL must look like postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidConfiguration("the PostgreSQL URL \(Self.redacted(text)) names no host")
        }
        guard let username = components.user, !username.isEmpty else {
            throw .invalidConfiguration("the PostgreSQL URL \(Self.redacted(text)) names no user")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw .invalidConfiguration("the PostgreSQL URL \(Self.redacted(text)) has an invalid port")
        }
        let mode = components.queryItems?.last { ["sslmode", "tlsmode"].contains($0.name.lowercased()) }?.value?.lowercased() ?? "prefer"
        switch mode {
        case "disable": tlsMode = .disable
        case "prefer", "allow": tlsMode = .prefer
        case "require", "verify-ca", "verify-full": tlsMode = .require
        default: throw .invalidConfiguration("sslmode '\(mode)' is not one of disable, prefer, require, verify-full")
        }
        self.host = host
        self.port = port
        self.username = username
        password = components.password
        database = components.path.split(separator: "/").first.map(String.init)
    }

    /// For the connection pool.
    func clientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        return PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    /// For one connection outside the pool.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    /// The URL without its password, for logs and descriptions.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "<unparseable URL>" }
        if components.password != nil { components.password = "<redacted>" }
        return components.string ?? "<unparseable URL>"
    }
}
