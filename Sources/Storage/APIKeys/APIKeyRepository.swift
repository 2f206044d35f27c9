import Foundation

/// Operator API keys (`gatehouse apikey create`), sent as `Authorization: Bearer gh_<id>_<secret>`.
///
/// Creation and revocation append their audit events (`apikey.created`, `apikey.revoked`) in the same
/// transaction.
public protocol APIKeyRepository: Sendable {
    /// Creates a key named `name`. The returned plaintext key is the only copy.
    /// - Throws: `StorageError.invalidAPIKeyName` for an empty, over-long or control-character name.
    func create(name: String, at time: Date, actor: String) async throws -> NewAPIKey
    /// The record of the presented key when it is well-formed, known, not revoked and its secret
    /// matches; otherwise `nil`, without saying which check failed.
    func verify(presented: String) async throws -> APIKeyRecord?
    /// Every key, revoked ones included, oldest first.
    func list() async throws -> [APIKeyRecord]
    func revoke(id: String, at time: Date, actor: String) async throws -> APIKeyRevocationOutcome
}
