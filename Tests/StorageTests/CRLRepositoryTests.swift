import Foundation
import GatewayPKI
import Storage
import Testing

@Suite("CRL repository")
struct CRLRepositoryTests {
    private func crl(_ number: Int64) -> CRLRecord {
        CRLRecord(issuerID: "issuer-1", number: number, thisUpdate: Fixture.time(Int(number)), nextUpdate: Fixture.time(Int(number) + 3600), der: Fixture.randomBytes(200))
    }

    @Test("CRL numbers only increase: an equal or lower number is not stored", arguments: Backend.available)
    func numbersIncrease(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.authorities.save(Fixture.authority(), audit: Fixture.event(.caCreated))
            #expect(try await store.crls.latest(issuerID: "issuer-1") == nil)
            let first = crl(1)
            #expect(try await store.crls.store(first))
            #expect(try await store.crls.latest(issuerID: "issuer-1") == first)
            #expect(try await store.crls.store(crl(1)) == false)
            #expect(try await store.crls.store(crl(0)) == false)
            #expect(try await store.crls.latest(issuerID: "issuer-1") == first)
            let third = crl(3)
            #expect(try await store.crls.store(third))
            #expect(try await store.crls.latest(issuerID: "issuer-1") == third)
        }
    }

    @Test("deleting a CA deletes its CRL", arguments: Backend.available)
    func cascade(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await store.authorities.save(Fixture.authority(), audit: Fixture.event(.caCreated))
            _ = try await store.crls.store(crl(1))
            try await store.authorities.delete(id: "issuer-1", audit: Fixture.event(.caCreated))
            #expect(try await store.crls.latest(issuerID: "issuer-1") == nil)
        }
    }
}
