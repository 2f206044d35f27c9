import Foundation
import PostgresNIO

/// Reads a `postgres://user:password@host:port/database?sslmode=...` URL into a client configuration.
///
/// `sslmode` follows libpq's names: `disable`, `prefer` (the default: TLS when the server offers it),
/// `require`, `verify-ca` and `verify-full` (TLS with certificate and host name verification; NIOSSL
/// always verifies, so the three are one here).
enum PostgresConnectionURL {
    static func configuration(_ text: String) throws(StorageError) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw .invalidConfiguration("the PostgreSQL URL must look like postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidConfiguration("the PostgreSQL URL \(redacted(text)) names no host")
        }
        guard let username = components.user, !username.isEmpty else {
            throw .invalidConfiguration("the PostgreSQL URL \(redacted(text)) names no user")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw .invalidConfiguration("the PostgreSQL URL \(redacted(text)) has an invalid port")
        }
        let database = components.path.split(separator: "/").first.map(String.init)
        let mode = components.queryItems?.last { ["sslmode", "tlsmode"].contains($0.name.lowercased()) }?.value?.lowercased() ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default:
            throw .invalidConfiguration("sslmode '\(mode)' is not one of disable, prefer, require, verify-full")
        }
        return PostgresClient.Configuration(
            host: host, port: port, username: username, password: components.password, database: database, tls: tls
        )
    }

    /// The URL without its password, for logs and descriptions.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return "<unparseable URL>" }
        if components.password != nil { components.password = "<redacted>" }
        return components.string ?? "<unparseable URL>"
    }
}
