import Foundation
import LoRaWAN
import NetworkServer
import Testing

@Suite("Caching network device registry")
struct CachingNetworkDeviceRegistryTests {
    @Test("desired settings are answered from memory; a change saved through the cache applies at once, another's within the lifetime")
    func desiredSettings() async throws {
        let store = InMemoryNetworkStore()
        var device = NetworkDevice(devEUI: Fixture.devEUI, joinEUI: nil, macVersion: .v1_0_3, region: .eu868, createdAt: Date())
        device.desiredMACSettings = DesiredMACSettings(rx2DataRate: .dr3)
        try await store.save(device)
        let cache = CachingNetworkDeviceRegistry(store, lifetime: .seconds(3600))
        #expect(try await cache.desiredMACSettings(of: Fixture.devEUI).rx2DataRate == .dr3)

        // Saved behind the cache's back (another instance): the cached answer stands until it expires.
        device.desiredMACSettings = DesiredMACSettings(rx2DataRate: .dr2)
        try await store.save(device)
        #expect(try await cache.desiredMACSettings(of: Fixture.devEUI).rx2DataRate == .dr3)

        // Saved through it: at once.
        device.desiredMACSettings = DesiredMACSettings(rx2DataRate: .dr1)
        try await cache.save(device)
        #expect(try await cache.desiredMACSettings(of: Fixture.devEUI).rx2DataRate == .dr1)
        #expect(try await cache.delete(Fixture.devEUI))
        #expect(try await cache.desiredMACSettings(of: Fixture.devEUI).isEmpty)

        let shortLived = CachingNetworkDeviceRegistry(store, lifetime: .zero)
        try await store.save(device)
        #expect(try await shortLived.desiredMACSettings(of: Fixture.devEUI).rx2DataRate == .dr1)
        device.desiredMACSettings = DesiredMACSettings()
        try await store.save(device)
        #expect(try await shortLived.desiredMACSettings(of: Fixture.devEUI).isEmpty)
    }
}
