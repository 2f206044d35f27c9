import Foundation
import GatewayPKI
import LoRaWAN
import Storage
import Testing

@Suite("Certificate repository")
struct CertificateRepositoryTests {
    private func register(_ n: UInt64, in store: GatehouseStore) async throws {
        _ = try await store.gateways.insert(Fixture.gateway(n), audit: Fixture.event(.gatewayRegistered, gateway: n))
    }

    private func issue(_ certificate: CertificateRecord, in store: GatehouseStore) async throws -> [CertificateRecord] {
        try await store.certificates.recordIssuance(
            certificate, at: certificate.issuedAt,
            audit: [Fixture.event(.certificateIssued, gateway: 1, at: certificate.issuedAt, serial: certificate.serial)]
        )
    }

    @Test("re-issue revokes every earlier unrevoked certificate as superseded, in the same transaction", arguments: Backend.available)
    func reissueSupersedes(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await register(1, in: store)
            let first = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(10))
            let second = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(20))
            #expect(try await issue(first, in: store).isEmpty)
            let superseded = try await issue(second, in: store)

            var expected = first
            expected.revocation = CertificateRevocation(time: Fixture.time(20), reason: .superseded)
            #expect(superseded == [expected])
            #expect(try await store.certificates.certificate(serial: first.serial) == expected)
            #expect(try await store.certificates.certificate(serial: second.serial) == second)
            #expect(try await store.certificates.certificate(serial: second.serial)?.isValid(at: Fixture.time(21)) == true)
            let events = try await store.audit.events(gateway: Fixture.eui(1), from: Fixture.time(20), to: Fixture.time(20), limit: 10)
            #expect(events.map(\.action) == [.certificateIssued, .certificateRevoked])
            #expect(events.last?.serial == first.serial)
        }
    }

    @Test("a failure inside re-issue rolls back the supersession and the audit events", arguments: Backend.available)
    func failedIssuanceRollsBack(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await register(1, in: store)
            let first = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(10))
            _ = try await issue(first, in: store)
            // Same serial: the insert fails after the earlier certificate was already revoked in the transaction.
            let clash = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(20), serial: first.serial)
            await #expect(throws: StorageError.self) { try await issue(clash, in: store) }

            #expect(try await store.certificates.certificate(serial: first.serial)?.revocation == nil)
            #expect(try await store.certificates.certificates(gateway: Fixture.eui(1)).count == 1)
            #expect(try await store.audit.events(gateway: Fixture.eui(1), from: Fixture.time(20), to: nil, limit: 10).isEmpty)
        }
    }

    @Test("issuance for an unregistered gateway stores nothing", arguments: Backend.available)
    func unknownGateway(backend: Backend) async throws {
        try await withStore(backend) { (store, _) async throws in
            let orphan = Fixture.certificate(gateway: 7, issuedAt: Fixture.time(10))
            await #expect(throws: StorageError.unknownGateway(Fixture.eui(7))) { try await issue(orphan, in: store) }
            #expect(try await store.certificates.certificate(serial: orphan.serial) == nil)
            #expect(try await store.audit.events(gateway: nil, from: nil, to: nil, limit: 10).isEmpty)
        }
    }

    @Test("revoking twice is idempotent: the first time and reason stand", arguments: Backend.available)
    func revokeTwice(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await register(1, in: store)
            let certificate = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(10))
            _ = try await issue(certificate, in: store)
            let first = try await store.certificates.revoke(
                serial: certificate.serial, reason: .keyCompromise, at: Fixture.time(30), audit: Fixture.event(.certificateRevoked, gateway: 1, at: Fixture.time(30))
            )
            var revoked = certificate
            revoked.revocation = CertificateRevocation(time: Fixture.time(30), reason: .keyCompromise)
            #expect(first == .revoked(revoked))
            let second = try await store.certificates.revoke(
                serial: certificate.serial, reason: .unspecified, at: Fixture.time(40), audit: Fixture.event(.certificateRevoked, gateway: 1, at: Fixture.time(40))
            )
            #expect(second == .alreadyRevoked(revoked))
            #expect(try await store.certificates.revoke(serial: "00", reason: .unspecified, at: Fixture.time(40), audit: Fixture.event(.certificateRevoked)) == .notFound)
            let events = try await store.audit.events(gateway: Fixture.eui(1), from: Fixture.time(30), to: nil, limit: 10)
            #expect(events.count == 1)
        }
    }

    @Test("a gateway's history is newest first, and the current certificate is the only valid one", arguments: Backend.available)
    func history(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            try await register(1, in: store)
            let certificates = (1...4).map { Fixture.certificate(gateway: 1, issuedAt: Fixture.time($0 * 10)) }
            for certificate in certificates { _ = try await issue(certificate, in: store) }
            let history = try await store.certificates.certificates(gateway: Fixture.eui(1))
            #expect(history.map(\.serial) == certificates.reversed().map(\.serial))
            #expect(history.filter { $0.isValid(at: Fixture.time(45)) }.map(\.serial) == [certificates[3].serial])
            #expect(try await store.certificates.certificates(gateway: Fixture.eui(2)).isEmpty)
        }
    }

    @Test("the CRL's content: an issuer's revoked certificates that have not expired", arguments: Backend.available)
    func revokedCertificates(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            for n in 1...4 as ClosedRange<UInt64> { try await register(n, in: store) }
            let expiring = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(0), notAfter: Fixture.time(100))
            let lasting = Fixture.certificate(gateway: 2, issuedAt: Fixture.time(0))
            let otherIssuer = Fixture.certificate(gateway: 3, issuedAt: Fixture.time(0), issuer: "issuer-2")
            let valid = Fixture.certificate(gateway: 4, issuedAt: Fixture.time(0))
            for certificate in [expiring, lasting, otherIssuer, valid] {
                _ = try await store.certificates.recordIssuance(certificate, at: Fixture.time(0), audit: [])
            }
            for certificate in [expiring, lasting, otherIssuer] {
                _ = try await store.certificates.revoke(serial: certificate.serial, reason: .keyCompromise, at: Fixture.time(50), audit: Fixture.event(.certificateRevoked))
            }
            let beforeExpiry = try await store.certificates.revokedCertificates(issuerID: "issuer-1", notExpiredAt: Fixture.time(100))
            #expect(Set(beforeExpiry.map(\.serialHex)) == [expiring.serial, lasting.serial])
            #expect(beforeExpiry.allSatisfy { $0.reason == .keyCompromise && $0.revocationDate == Fixture.time(50) })
            let afterExpiry = try await store.certificates.revokedCertificates(issuerID: "issuer-1", notExpiredAt: Fixture.time(101))
            #expect(afterExpiry.map(\.serialHex) == [lasting.serial])
            #expect(Set(try await store.certificates.revokedSerials()) == [expiring.serial, lasting.serial, otherIssuer.serial])
        }
    }

    @Test("a group commit gives each issuance its own outcome, in order", arguments: Backend.available)
    func groupCommit(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            for n in 1...3 as ClosedRange<UInt64> { try await register(n, in: store) }
            let old = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(0))
            _ = try await store.certificates.recordIssuance(old, at: Fixture.time(0), audit: [])
            let first = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(10))
            let second = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(11))
            let other = Fixture.certificate(gateway: 2, issuedAt: Fixture.time(10))
            let unregistered = Fixture.certificate(gateway: 9, issuedAt: Fixture.time(10))
            let batch = [first, other, unregistered, second].map {
                CertificateIssuance(certificate: $0, time: $0.issuedAt, audit: [Fixture.event(.certificateIssued, gateway: 1, serial: $0.serial)])
            }
            let outcomes = try await store.certificates.recordIssuances(batch)
            #expect(outcomes.count == 4)
            guard case .recorded(let supersededByFirst) = outcomes[0], case .recorded(let supersededByOther) = outcomes[1],
                case .recorded(let supersededBySecond) = outcomes[3]
            else {
                Issue.record("unexpected outcomes \(outcomes)")
                return
            }
            #expect(supersededByFirst.map(\.serial) == [old.serial])
            #expect(supersededByFirst.first?.revocation == CertificateRevocation(time: Fixture.time(10), reason: .superseded))
            #expect(supersededByOther.isEmpty)
            // The second issuance for gateway 1 in the same batch supersedes the first, as if issued after it.
            #expect(supersededBySecond.map(\.serial) == [first.serial])
            #expect(outcomes[2] == .unknownGateway)
            let history = try await store.certificates.certificates(gateway: Fixture.eui(1))
            #expect(history.filter { !$0.isRevoked }.map(\.serial) == [second.serial])
            #expect(try await store.certificates.certificate(serial: unregistered.serial) == nil)
            let events = try await store.audit.events(gateway: nil, from: nil, to: nil, limit: 100)
            #expect(events.filter { $0.action == .certificateIssued }.count == 3)
            #expect(events.filter { $0.action == .certificateRevoked }.compactMap(\.serial).sorted() == [old.serial, first.serial].sorted())
        }
    }

    @Test("concurrent re-issues for one gateway leave exactly one valid certificate", arguments: Backend.available)
    func concurrentReissues(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            try await register(1, in: store)
            // A second store is a second instance on PostgreSQL (its own connection pool).
            let other = try await database.open()
            let certificates = (0..<24).map { Fixture.certificate(gateway: 1, issuedAt: Fixture.time($0)) }
            let superseded = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, certificate) in certificates.enumerated() {
                    let target = index.isMultiple(of: 2) ? store : other
                    group.addTask { try await target.certificates.recordIssuance(certificate, at: certificate.issuedAt, audit: []).count }
                }
                return try await group.reduce(0, +)
            }
            await other.close()
            let history = try await store.certificates.certificates(gateway: Fixture.eui(1))
            #expect(history.count == certificates.count)
            #expect(history.filter { !$0.isRevoked }.count == 1)
            #expect(superseded == certificates.count - 1)
        }
    }
}
