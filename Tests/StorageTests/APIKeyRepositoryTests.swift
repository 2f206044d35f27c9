import Foundation
import GatewayPKI
@testable import Storage
import Testing

@Suite("API key repository")
struct APIKeyRepositoryTests {
    @Test("a created key verifies; a wrong secret, a malformed key or a revoked key does not", arguments: Backend.available)
    func lifecycle(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let created = try await store.apiKeys.create(name: " ci deploy ", at: Fixture.time(1), actor: "cli")
            #expect(created.record == APIKeyRecord(id: created.record.id, name: "ci deploy", createdAt: Fixture.time(1)))
            #expect(created.plaintextKey.hasPrefix("gh_\(created.record.id)_"))
            #expect(!"\(created)".contains(created.plaintextKey))
            #expect(try await store.apiKeys.verify(presented: created.plaintextKey) == created.record)

            let secret = String(created.plaintextKey.dropFirst(3 + 16 + 1))
            let flipped = (secret.first == "A" ? "B" : "A") + secret.dropFirst()
            #expect(try await store.apiKeys.verify(presented: "gh_\(created.record.id)_\(flipped)") == nil)
            for malformed in ["", "gh_", "Bearer " + created.plaintextKey, created.plaintextKey + "x", created.plaintextKey.uppercased()] {
                #expect(try await store.apiKeys.verify(presented: malformed) == nil)
            }

            let other = try await store.apiKeys.create(name: "second", at: Fixture.time(2), actor: "cli")
            #expect(try await store.apiKeys.list().map(\.id) == [created.record.id, other.record.id])

            var revoked = created.record
            revoked.revokedAt = Fixture.time(3)
            #expect(try await store.apiKeys.revoke(id: created.record.id, at: Fixture.time(3), actor: "cli") == .revoked(revoked))
            #expect(try await store.apiKeys.revoke(id: created.record.id, at: Fixture.time(4), actor: "cli") == .alreadyRevoked(revoked))
            #expect(try await store.apiKeys.revoke(id: "0000000000000000", at: Fixture.time(4), actor: "cli") == .notFound)
            #expect(try await store.apiKeys.verify(presented: created.plaintextKey) == nil)
            #expect(try await store.apiKeys.verify(presented: other.plaintextKey) == other.record)

            let actions = try await store.audit.events(gateway: nil, from: nil, to: nil, limit: 10).map(\.action)
            #expect(actions == [.apiKeyCreated, .apiKeyCreated, .apiKeyRevoked])
        }
    }

    @Test("names must be non-empty, short and free of control characters", arguments: Backend.available)
    func names(backend: Backend) async throws {
        try await withStore(backend) { (store, _) async throws in
            for name in ["", "   ", String(repeating: "n", count: 101), "line\nbreak"] {
                await #expect(throws: StorageError.self) { _ = try await store.apiKeys.create(name: name, at: Fixture.epoch, actor: "cli") }
            }
            #expect(try await store.apiKeys.list().isEmpty)
        }
    }

    @Test("keys have the documented shape and distinct random parts")
    func shape() {
        let tokens = (0..<100).map { _ in APIKeyToken.generate() }
        #expect(Set(tokens.map(\.id)).count == 100)
        #expect(Set(tokens.map(\.secret)).count == 100)
        for token in tokens {
            #expect(token.text.count == 3 + 16 + 1 + 43)
            #expect(APIKeyToken(parsing: token.text)?.secret == token.secret)
        }
        #expect(APIKeyToken.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!APIKeyToken.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!APIKeyToken.constantTimeEqual([1, 2, 3], [1, 2]))
    }
}
