import Foundation
import GatewayPKI
import SQLKit
@testable import Storage
import Testing

@Suite("Authority repository")
struct AuthorityRepositoryTests {
    @Test("a CA with its private key reads back equal; an offline root has none", arguments: Backend.available)
    func roundTrip(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let root = Fixture.authority("root-1", role: .root)
            let issuing = Fixture.authority("issuer-1")
            let vendor = Fixture.authority("vendor-1", role: .vendor, key: nil)
            for authority in [root, issuing, vendor] { try await store.authorities.save(authority, audit: Fixture.event(.caCreated)) }
            #expect(try await store.authorities.authority(id: "issuer-1") == issuing)
            #expect(try await store.authorities.authority(id: "vendor-1") == vendor)
            #expect(try await store.authorities.authority(id: "nobody") == nil)
            #expect(Set(try await store.authorities.authorities().map(\.id)) == ["root-1", "issuer-1", "vendor-1"])

            try await store.authorities.removePrivateKey(id: "root-1", audit: Fixture.event(.caRootKeyRemoved))
            var offline = root
            offline.privateKey = nil
            #expect(try await store.authorities.authority(id: "root-1") == offline)
            await #expect(throws: StorageError.authorityNotFound(id: "nobody")) {
                try await store.authorities.removePrivateKey(id: "nobody", audit: Fixture.event(.caRootKeyRemoved))
            }
            let actions = try await store.audit.events(gateway: nil, from: nil, to: nil, limit: 10).map(\.action)
            #expect(actions == [.caCreated, .caCreated, .caCreated, .caRootKeyRemoved])
        }
    }

    @Test("saving a CA again replaces its certificate and key", arguments: Backend.available)
    func replace(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.authorities.save(Fixture.authority(), audit: Fixture.event(.caCreated))
            let replacement = Fixture.authority()
            try await store.authorities.save(replacement, audit: Fixture.event(.caImported))
            #expect(try await store.authorities.authority(id: "issuer-1") == replacement)
        }
    }

    @Test("a sealed CA key moved to another CA's row fails authentication instead of opening", arguments: Backend.available)
    func boundToRow(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.authorities.save(Fixture.authority("issuer-1"), audit: Fixture.event(.caCreated))
            try await store.authorities.save(Fixture.authority("issuer-2"), audit: Fixture.event(.caCreated))
            try await store.engine.transaction { sql in
                try await sql.raw("""
                    UPDATE authorities SET private_key_sealed = (SELECT private_key_sealed FROM authorities WHERE id = 'issuer-1')
                    WHERE id = 'issuer-2'
                    """).run()
            }
            await #expect(throws: StorageError.secretRejected(table: "authorities", row: "issuer-2")) {
                _ = try await store.authorities.authority(id: "issuer-2")
            }
            #expect(try await store.authorities.authority(id: "issuer-1") != nil)
        }
    }
}
