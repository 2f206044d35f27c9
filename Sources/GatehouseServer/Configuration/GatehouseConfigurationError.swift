/// Where a configuration value came from; error messages name it so the operator knows what to fix.
public enum SettingOrigin: Sendable, Equatable, CustomStringConvertible {
    case commandLine(option: String)
    case environment(variable: String)

    public var description: String {
        switch self {
        case .commandLine(let option): "option \(option)"
        case .environment(let variable): "environment variable \(variable)"
        }
    }
}

/// A configuration value that Gatehouse cannot use; the description is a sentence for the operator.
public enum GatehouseConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The value was given but is empty.
    case emptyValue(origin: SettingOrigin)
    /// The value is not a whole number from 0 to 65535.
    case invalidPort(String, origin: SettingOrigin)
    /// The value is not one of swift-log's level names.
    case invalidLogLevel(String, origin: SettingOrigin)
    /// The value holds characters that cannot appear in a host name or IP address.
    case invalidBindHost(String, origin: SettingOrigin)
    /// Only one half of a certificate/private-key pair was given.
    case incompleteTLSIdentity(given: SettingOrigin, missing: GatehouseConfiguration.Setting)
    /// The database URL is not a PostgreSQL URL (the value is not repeated: it may hold a password).
    case invalidDatabaseURL(origin: SettingOrigin)
    /// The value is not a whole number in the expected range.
    case invalidNumber(String, expected: String, origin: SettingOrigin)

    public var description: String {
        switch self {
        case .emptyValue(let origin):
            "The \(origin) is empty; give it a value or leave it out to use the default."
        case .invalidPort(let value, let origin):
            "The \(origin) is \"\(value)\", which is not a TCP port: use a whole number from 1 to 65535 (or 0 for any free port)."
        case .invalidLogLevel(let value, let origin):
            "The \(origin) is \"\(value)\", which is not a log level: use one of trace, debug, info, notice, warning, error, critical."
        case .invalidBindHost(let value, let origin):
            "The \(origin) is \"\(value)\", which is not a host name or IP address."
        case .incompleteTLSIdentity(let given, let missing):
            "The \(given) names a TLS file but \(missing.option) (or \(missing.environmentVariable)) is missing: give both the certificate and its private key, or neither to use the development certificate."
        case .invalidNumber(let value, let expected, let origin):
            "The \(origin) is \"\(value)\"; expected \(expected)."
        case .invalidDatabaseURL(let origin):
            "The \(origin) is not a PostgreSQL URL: use postgres://user:password@host:port/database, or leave it out for the embedded SQLite database."
        }
    }
}
