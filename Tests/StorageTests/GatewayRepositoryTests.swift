import Foundation
import GatewayPKI
import LoRaWAN
import Storage
import Testing

@Suite("Gateway repository")
struct GatewayRepositoryTests {
    @Test("a registered gateway reads back as it was stored", arguments: Backend.available)
    func roundTrip(backend: Backend) async throws {
        try await withStore(backend) { (store, _) async throws in
            let located = Fixture.gateway(1)
            let unlocated = Fixture.gateway(2, located: false)
            #expect(try await store.gateways.insert(located, audit: Fixture.event(.gatewayRegistered, gateway: 1)) == .inserted)
            #expect(try await store.gateways.insert(unlocated, audit: Fixture.event(.gatewayRegistered, gateway: 2)) == .inserted)
            #expect(try await store.gateways.gateway(located.eui) == located)
            #expect(try await store.gateways.gateway(unlocated.eui) == unlocated)
            #expect(try await store.gateways.gateway(Fixture.eui(99)) == nil)
        }
    }

    @Test("a duplicate EUI is .duplicate, and only the first registration is audited", arguments: Backend.available)
    func duplicate(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let first = Fixture.gateway(1)
            var second = Fixture.gateway(1)
            second.name = "impostor"
            #expect(try await store.gateways.insert(first, audit: Fixture.event(.gatewayRegistered, gateway: 1)) == .inserted)
            #expect(try await store.gateways.insert(second, audit: Fixture.event(.gatewayRegistered, gateway: 1)) == .duplicate)
            #expect(try await store.gateways.gateway(first.eui)?.name == "gateway 1")
            let events = try await store.audit.events(gateway: first.eui, from: nil, to: nil, limit: 10)
            #expect(events.count == 1)
        }
    }

    @Test("gateways list in EUI order, all or of one network", arguments: Backend.available)
    func listing(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            for (n, network) in [(3, "north"), (1, "south"), (2, "north")] as [(UInt64, String)] {
                _ = try await store.gateways.insert(Fixture.gateway(n, network: network), audit: Fixture.event(.gatewayRegistered, gateway: n))
            }
            // An EUI with the top bit set sorts last, as a number would.
            _ = try await store.gateways.insert(
                GatewayRecord(eui: EUI64(0xFFFF_0000_0000_0001), name: "high", network: "north", location: nil, frequencyPlan: .us915, createdAt: Fixture.epoch),
                audit: Fixture.event(.gatewayRegistered)
            )
            let all = try await store.gateways.gateways(network: nil).map(\.eui)
            #expect(all == [Fixture.eui(1), Fixture.eui(2), Fixture.eui(3), EUI64(0xFFFF_0000_0000_0001)])
            let north = try await store.gateways.gateways(network: "north").map(\.eui)
            #expect(north == [Fixture.eui(2), Fixture.eui(3), EUI64(0xFFFF_0000_0000_0001)])
            #expect(try await store.gateways.gateways(network: "nowhere").isEmpty)
        }
    }

    @Test("deleting a gateway revokes its valid certificates as cessationOfOperation, in one transaction", arguments: Backend.available)
    func deletion(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.gateways.insert(Fixture.gateway(1), audit: Fixture.event(.gatewayRegistered, gateway: 1))
            let certificate = Fixture.certificate(gateway: 1, issuedAt: Fixture.time(10))
            _ = try await store.certificates.recordIssuance(certificate, at: Fixture.time(10), audit: [Fixture.event(.certificateIssued, gateway: 1)])

            let revoked = try #require(try await store.gateways.delete(Fixture.eui(1), at: Fixture.time(20), audit: Fixture.event(.gatewayDeleted, gateway: 1, at: Fixture.time(20))))
            #expect(revoked.map(\.serial) == [certificate.serial])
            #expect(revoked.first?.revocation == CertificateRevocation(time: Fixture.time(20), reason: .cessationOfOperation))
            #expect(try await store.gateways.gateway(Fixture.eui(1)) == nil)
            // The certificate stays, revoked, for the CRL and the history.
            #expect(try await store.certificates.certificate(serial: certificate.serial)?.revocation?.reason == .cessationOfOperation)
            let actions = try await store.audit.events(gateway: Fixture.eui(1), from: Fixture.time(20), to: nil, limit: 10).map(\.action)
            #expect(actions == [.gatewayDeleted, .certificateRevoked])

            #expect(try await store.gateways.delete(Fixture.eui(1), at: Fixture.time(30), audit: Fixture.event(.gatewayDeleted, gateway: 1)) == nil)
            // The EUI can be registered again.
            #expect(try await store.gateways.insert(Fixture.gateway(1), audit: Fixture.event(.gatewayRegistered, gateway: 1)) == .inserted)
        }
    }
}
