import LoRaWAN

/// Why storage failed. Every case reads as a sentence and none carries key material, bind values or a
/// password: these messages reach logs and, through the API's error mapping, operators.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The storage configuration cannot be used (a malformed URL, an invalid schema name...).
    case invalidConfiguration(String)
    /// No key-encryption key was configured where one is required.
    case keyEncryptionKeyMissing(String)
    /// The configured key-encryption key is malformed (wrong length or encoding) or unreadable.
    case keyEncryptionKeyInvalid(String)
    /// The database was encrypted under another key-encryption key than the configured one.
    case wrongKeyEncryptionKey(configuredKeyID: String, databaseKeyIDs: [String])
    /// A sealed secret did not authenticate: it was altered, or moved from the row it was sealed for.
    case secretRejected(table: String, row: String)
    /// A certificate was recorded for a gateway that is not registered.
    case unknownGateway(EUI64)
    /// No certificate authority with this id is stored.
    case authorityNotFound(id: String)
    /// An API key name is empty, too long or holds control characters.
    case invalidAPIKeyName(String)
    /// The database holds migrations this build does not know: it was written by a newer Gatehouse.
    case schemaNewerThanCode(databaseVersion: Int, knownVersion: Int)
    /// A recorded migration has another name than this build's migration of the same version.
    case migrationHistoryDiverged(version: Int, recorded: String, expected: String)
    /// A migration failed and was rolled back.
    case migrationFailed(version: Int, name: String, reason: String)
    /// A stored value cannot be read back as its type.
    case malformedRow(table: String, column: String, reason: String)
    /// The database driver failed (connection, constraint, I/O); described without bind values.
    case database(String)
    /// The store was closed.
    case closed

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason):
            "storage configuration: \(reason)"
        case .keyEncryptionKeyMissing(let reason):
            "no key-encryption key: \(reason)"
        case .keyEncryptionKeyInvalid(let reason):
            "the key-encryption key is unusable: \(reason)"
        case .wrongKeyEncryptionKey(let configured, let stored):
            "wrong key-encryption key: the database's secrets are sealed under key id "
                + "\(stored.joined(separator: ", ")), but the configured key has id \(configured)"
        case .secretRejected(let table, let row):
            "the sealed secret of \(table) row \(row) failed authentication: it was altered or moved from another row"
        case .unknownGateway(let eui):
            "gateway \(eui) is not registered"
        case .authorityNotFound(let id):
            "no certificate authority with id \(id)"
        case .invalidAPIKeyName(let reason):
            "invalid API key name: \(reason)"
        case .schemaNewerThanCode(let found, let known):
            "the database schema is at version \(found) but this Gatehouse knows only up to \(known): it was written by a newer release"
        case .migrationHistoryDiverged(let version, let recorded, let expected):
            "migration \(version) is recorded as '\(recorded)' but this Gatehouse calls it '\(expected)': the schema history diverged"
        case .migrationFailed(let version, let name, let reason):
            "migration \(version) (\(name)) failed and was rolled back: \(reason)"
        case .malformedRow(let table, let column, let reason):
            "stored \(table).\(column) is malformed: \(reason)"
        case .database(let reason):
            "database error: \(reason)"
        case .closed:
            "the store is closed"
        }
    }
}
