/// A column that holds secrets sealed under the key-encryption key, with the column naming the key that
/// sealed each one and the column whose value each is bound to.
///
/// Every sealed column is listed in ``all``: repositories take their `SecretBinding` from here, and the
/// key-encryption key rotation re-seals exactly these, so a new sealed column cannot be forgotten by
/// one and not the other (a test also compares the list with the schema's `*_sealed` columns).
struct SealedColumn: Sendable, Equatable, CustomStringConvertible {
    let table: String
    /// The primary key column; its text is the binding's row.
    let rowColumn: String
    let sealedColumn: String
    /// The id of the key-encryption key that sealed the value (see `KeyEncryptionKey.id`).
    let keyIDColumn: String

    static let authorityPrivateKey = SealedColumn(
        table: "authorities", rowColumn: "id", sealedColumn: "private_key_sealed", keyIDColumn: "private_key_kek_id")
    static let deviceRootKeys = SealedColumn(
        table: "join_devices", rowColumn: "dev_eui", sealedColumn: "root_keys_sealed", keyIDColumn: "root_keys_kek_id")
    static let masterKey = SealedColumn(
        table: "join_master_keys", rowColumn: "name", sealedColumn: "key_sealed", keyIDColumn: "key_kek_id")
    static let peerKEK = SealedColumn(
        table: "join_peer_keks", rowColumn: "peer", sealedColumn: "key_sealed", keyIDColumn: "key_kek_id")
    static let appSKey = SealedColumn(
        table: "application_sessions", rowColumn: "id", sealedColumn: "app_s_key_sealed", keyIDColumn: "app_s_key_kek_id")
    static let webhookSecret = SealedColumn(
        table: "applications", rowColumn: "id", sealedColumn: "webhook_secret_sealed", keyIDColumn: "webhook_secret_kek_id")
    static let networkSessionKeys = SealedColumn(
        table: "ns_sessions", rowColumn: "dev_eui", sealedColumn: "keys_sealed", keyIDColumn: "keys_kek_id")

    /// Every column holding sealed data. (`key_encryption_keys.check_value` is not data: rotation
    /// replaces it with the new key's check value.)
    static let all: [SealedColumn] = [.authorityPrivateKey, .deviceRootKeys, .masterKey, .peerKEK, .appSKey, .webhookSecret, .networkSessionKeys]

    /// The additional data that ties a sealed value to its row of this column.
    func binding(row: String) -> SecretBinding {
        SecretBinding(table: table, column: sealedColumn, row: row)
    }

    var description: String { "\(table).\(sealedColumn)" }
}
