import Foundation
import GatewayPKI
import SQLKit

/// Operator API keys: id, name, creation and revocation times, and the SHA-256 of the secret.
public struct SQLAPIKeyRepository: APIKeyRepository {
    private static let table = "api_keys"
    private static let maximumNameLength = 100

    let engine: any DatabaseEngine

    public func create(name: String, at time: Date, actor: String) async throws -> NewAPIKey {
        let name = try Self.validated(name)
        let token = APIKeyToken.generate()
        let record = APIKeyRecord(id: token.id, name: name, createdAt: time)
        try await engine.transaction { sql in
            try await sql.raw("""
                INSERT INTO api_keys (id, name, secret_sha256, created_at)
                VALUES (\(bind: token.id), \(bind: name), \(bind: Data(token.secretHash)), \(bind: StoredTime.microseconds(time)))
                """).run()
            try await AuditEventRows.append([Self.event(.apiKeyCreated, record, actor: actor, at: time)], on: sql)
        }
        return NewAPIKey(record: record, plaintextKey: token.text)
    }

    public func verify(presented: String) async throws -> APIKeyRecord? {
        guard let token = APIKeyToken(parsing: presented) else { return nil }
        let stored: (APIKeyRecord, [UInt8])? = try await engine.read { sql in
            guard let row = try await sql.raw("""
                SELECT id, name, created_at, revoked_at, secret_sha256 FROM api_keys WHERE id = \(bind: token.id) AND revoked_at IS NULL
                """).first()
            else { return nil }
            return (try Self.record(row), try row.bytes("secret_sha256", table: Self.table))
        }
        guard let (record, hash) = stored, APIKeyToken.constantTimeEqual(hash, token.secretHash) else { return nil }
        return record
    }

    public func list() async throws -> [APIKeyRecord] {
        try await engine.read { sql in
            try await sql.raw("SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY created_at, id").all().map(Self.record)
        }
    }

    public func revoke(id: String, at time: Date, actor: String) async throws -> APIKeyRevocationOutcome {
        try await engine.transaction { sql in
            if let row = try await sql.raw("""
                UPDATE api_keys SET revoked_at = \(bind: StoredTime.microseconds(time)) WHERE id = \(bind: id) AND revoked_at IS NULL
                RETURNING id, name, created_at, revoked_at
                """).first() {
                let record = try Self.record(row)
                try await AuditEventRows.append([Self.event(.apiKeyRevoked, record, actor: actor, at: time)], on: sql)
                return .revoked(record)
            }
            guard let row = try await sql.raw("SELECT id, name, created_at, revoked_at FROM api_keys WHERE id = \(bind: id)").first() else {
                return .notFound
            }
            return .alreadyRevoked(try Self.record(row))
        }
    }

    private static func validated(_ name: String) throws(StorageError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidAPIKeyName("it is empty") }
        guard trimmed.count <= maximumNameLength else { throw .invalidAPIKeyName("it is longer than \(maximumNameLength) characters") }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidAPIKeyName("it contains control characters")
        }
        return trimmed
    }

    private static func event(_ action: AuditAction, _ record: APIKeyRecord, actor: String, at time: Date) -> AuditEvent {
        AuditEvent(time: time, actor: actor, action: action, detail: "API key \(record.id) (\(record.name))")
    }

    private static func record(_ row: any SQLRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.text("id", table: table),
            name: try row.text("name", table: table),
            createdAt: try row.time("created_at", table: table),
            revokedAt: try row.optionalTime("revoked_at", table: table)
        )
    }
}
