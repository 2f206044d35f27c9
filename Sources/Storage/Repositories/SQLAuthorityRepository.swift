import Foundation
import GatewayPKI
import SQLKit

/// Certificate authorities. A CA's private key is stored only sealed (AES-256-GCM under the
/// key-encryption key, bound to the CA's row; see `SecretSealer`) and opened when read.
public struct SQLAuthorityRepository: AuthorityRepository {
    private static let table = "authorities"
    private static let columns = SQLQueryString("id, role, certificate_der, private_key_sealed, private_key_kek_id, created_at")

    let engine: any DatabaseEngine
    let sealer: SecretSealer

    /// Inserts the CA, or replaces its role, certificate and key when the id exists (keeping `createdAt`).
    public func save(_ authority: AuthorityRecord, audit: AuditEvent) async throws {
        // Seal before the transaction: the write lock is held only for the statements.
        let sealed = try authority.privateKey.map { try sealer.seal($0.exportDER(), for: Self.binding(authority.id)) }
        try await engine.transaction { sql in
            try await sql.raw("""
                INSERT INTO authorities (\(Self.columns)) VALUES (
                    \(bind: authority.id), \(bind: authority.role.rawValue), \(bind: Data(authority.certificateDER)),
                    \(bind: sealed.map { Data($0.box) }), \(bind: sealed?.keyID), \(bind: StoredTime.microseconds(authority.createdAt)))
                ON CONFLICT (id) DO UPDATE SET role = excluded.role, certificate_der = excluded.certificate_der,
                    private_key_sealed = excluded.private_key_sealed, private_key_kek_id = excluded.private_key_kek_id
                """).run()
            try await AuditEventRows.append([audit], on: sql)
        }
    }

    public func authorities() async throws -> [AuthorityRecord] {
        let rows = try await engine.read { sql in
            try await sql.raw("SELECT \(Self.columns) FROM authorities ORDER BY created_at, id").all().map(StoredAuthority.init)
        }
        return try rows.map { try $0.record(opening: sealer) }
    }

    public func authority(id: String) async throws -> AuthorityRecord? {
        let row = try await engine.read { sql in
            try await sql.raw("SELECT \(Self.columns) FROM authorities WHERE id = \(bind: id)").first().map(StoredAuthority.init)
        }
        return try row?.record(opening: sealer)
    }

    /// - Throws: `StorageError.authorityNotFound` when no CA has this id.
    public func removePrivateKey(id: String, audit: AuditEvent) async throws {
        try await engine.transaction { sql in
            let updated = try await sql.raw("""
                UPDATE authorities SET private_key_sealed = NULL, private_key_kek_id = NULL WHERE id = \(bind: id) RETURNING id
                """).first()
            guard updated != nil else { throw StorageError.authorityNotFound(id: id) }
            try await AuditEventRows.append([audit], on: sql)
        }
    }

    /// Deletes the CA and its CRL. Certificates it issued stay, for history.
    /// - Throws: `StorageError.authorityNotFound` when no CA has this id.
    public func delete(id: String, audit: AuditEvent) async throws {
        try await engine.transaction { sql in
            guard try await sql.raw("DELETE FROM authorities WHERE id = \(bind: id) RETURNING id").first() != nil else {
                throw StorageError.authorityNotFound(id: id)
            }
            try await AuditEventRows.append([audit], on: sql)
        }
    }

    static func binding(_ id: String) -> SecretBinding {
        SealedColumn.authorityPrivateKey.binding(row: id)
    }

    /// A row as read, before its key is opened (which happens outside the connection's lease).
    private struct StoredAuthority: Sendable {
        let id: String
        let role: AuthorityRole
        let certificateDER: [UInt8]
        let sealedKey: SealedSecret?
        let createdAt: Date

        init(_ row: any SQLRow) throws {
            id = try row.text("id", table: table)
            let roleText = try row.text("role", table: table)
            guard let role = AuthorityRole(rawValue: roleText) else {
                throw StorageError.malformedRow(table: table, column: "role", reason: "unknown role '\(roleText)'")
            }
            self.role = role
            certificateDER = try row.bytes("certificate_der", table: table)
            if let box = try row.optionalBytes("private_key_sealed", table: table) {
                sealedKey = SealedSecret(keyID: try row.text("private_key_kek_id", table: table), box: box)
            } else {
                sealedKey = nil
            }
            createdAt = try row.time("created_at", table: table)
        }

        func record(opening sealer: SecretSealer) throws -> AuthorityRecord {
            let privateKey = try sealedKey.map { PrivateKeyMaterial(pkcs8DER: try sealer.open($0, for: SQLAuthorityRepository.binding(id))) }
            return AuthorityRecord(id: id, role: role, certificateDER: certificateDER, privateKey: privateKey, createdAt: createdAt)
        }
    }
}
