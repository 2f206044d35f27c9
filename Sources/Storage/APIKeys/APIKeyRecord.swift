import Foundation

/// An operator API key as stored: never its secret, only the secret's hash (in the table, not here).
public struct APIKeyRecord: Sendable, Equatable {
    /// The public part of the key (`gh_<id>_...`): 16 lower-case hex digits.
    public var id: String
    public var name: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, name: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isRevoked: Bool { revokedAt != nil }
}

/// A key just created: its record and the full key, which exists only in this value. Show it to the
/// operator once; it prints redacted.
public struct NewAPIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let record: APIKeyRecord
    /// `gh_<id>_<secret>`, for the `Authorization: Bearer` header.
    public let plaintextKey: String

    public var description: String { "NewAPIKey(id: \(record.id), name: \(record.name), key: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["record": record], displayStyle: .struct) }
}

/// What revoking an API key did.
public enum APIKeyRevocationOutcome: Sendable, Equatable {
    case revoked(APIKeyRecord)
    /// Revoking twice is idempotent: the first revocation time stands.
    case alreadyRevoked(APIKeyRecord)
    case notFound
}
