import Foundation
import LoRaWAN
import NetworkServer
@testable import Storage
import Testing

@Suite("Network device registry")
struct NetworkDeviceRegistryTests {
    @Test("a device round-trips, OTAA or ABP, with or without a region; saving again replaces it", arguments: Backend.available)
    func saveAndRead(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let devices = [
                NetworkFixture.device(1, version: .v1_0_3), NetworkFixture.device(2, version: .v1_1, region: nil),
                NetworkFixture.device(3, version: .v1_0_2, region: .us915, activation: .abp),
            ]
            for device in devices { try await store.networkDevices.save(device) }
            for device in devices { #expect(try await store.networkDevices.device(device.devEUI) == device) }
            #expect(try await store.networkDevices.device(NetworkFixture.devEUI(99)) == nil)

            var changed = devices[0]
            changed.region = .au915
            changed.deviceClass = .classC
            changed.macVersion = .v1_0_4
            changed.joinEUI = nil
            changed.activation = .abp
            try await store.networkDevices.save(changed)
            #expect(try await store.networkDevices.device(changed.devEUI) == changed)
        }
    }

    @Test("desired MAC settings round-trip, survive reopening, read alone, and clear to none", arguments: Backend.available)
    func desiredMACSettings(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            var device = NetworkFixture.device(1)
            device.desiredMACSettings = NetworkFixture.desired()
            try await store.networkDevices.save(device)
            try await store.networkDevices.save(NetworkFixture.device(2))
            #expect(try await store.networkDevices.desiredMACSettings(of: device.devEUI) == device.desiredMACSettings)
            #expect(try await store.networkDevices.desiredMACSettings(of: NetworkFixture.devEUI(2)).isEmpty)
            #expect(try await store.networkDevices.desiredMACSettings(of: NetworkFixture.devEUI(99)).isEmpty)
            await store.close()

            let reopened = try await database.open()
            #expect(try await reopened.networkDevices.device(device.devEUI) == device)
            #expect(try await reopened.networkDevices.devices(after: nil, limit: 10).first == device)
            device.desiredMACSettings = DesiredMACSettings()
            try await reopened.networkDevices.save(device)
            #expect(try await reopened.networkDevices.device(device.devEUI)?.desiredMACSettings.isEmpty == true)
            await reopened.close()
        }
    }

    @Test("saving a device keeps its session and queued downlinks", arguments: Backend.available)
    func saveKeepsSession(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let device = NetworkFixture.device(1)
            try await store.networkDevices.save(device)
            let session = NetworkFixture.session(1)
            try await store.networkSessions.activate(session)
            let downlink = NetworkFixture.downlink(1, fCnt: 0, sessionKeyID: session.sessionKeyID)
            try await store.networkDownlinks.enqueue(downlink)

            var changed = device
            changed.deviceClass = .classC
            try await store.networkDevices.save(changed)
            #expect(try await store.networkSessions.session(devEUI: device.devEUI) == session)
            #expect(try await store.networkDownlinks.queued(devEUI: device.devEUI) == [downlink])
        }
    }

    @Test("deleting a device deletes its session and queued downlinks, and no other device's", arguments: Backend.available)
    func deleteCascades(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let shared = DevAddr(0x2601_0042)
            var sessions: [NetworkSession] = []
            for n: UInt64 in [1, 2] {
                try await store.networkDevices.save(NetworkFixture.device(n))
                let session = NetworkFixture.session(n, devAddr: shared)
                try await store.networkSessions.activate(session)
                try await store.networkDownlinks.enqueue(NetworkFixture.downlink(n, fCnt: 1, sessionKeyID: session.sessionKeyID))
                sessions.append(session)
            }

            #expect(try await store.networkDevices.delete(NetworkFixture.devEUI(1)))
            #expect(try await store.networkDevices.device(NetworkFixture.devEUI(1)) == nil)
            #expect(try await store.networkSessions.session(devEUI: NetworkFixture.devEUI(1)) == nil)
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(1)).isEmpty)
            #expect(try await store.networkSessions.sessions(devAddr: shared) == [sessions[1]])
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(2)).count == 1)

            #expect(try await store.networkDevices.delete(NetworkFixture.devEUI(1)) == false)
            #expect(try await store.networkDevices.delete(NetworkFixture.devEUI(99)) == false)
        }
    }

    @Test("devices are listed in DevEUI order, a page at a time", arguments: Backend.available)
    func paging(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            for n: UInt64 in [7, 3, 1, 6, 2, 5, 4] { try await store.networkDevices.save(NetworkFixture.device(n)) }
            var pages: [[EUI64]] = []
            var after: EUI64?
            while true {
                let page = try await store.networkDevices.devices(after: after, limit: 3).map(\.devEUI)
                if page.isEmpty { break }
                pages.append(page)
                after = page.last
            }
            let expected: [[UInt64]] = [[1, 2, 3], [4, 5, 6], [7]]
            #expect(pages == expected.map { $0.map(NetworkFixture.devEUI) })
            #expect(try await store.networkDevices.devices(after: nil, limit: 0).isEmpty)
            #expect(try await store.networkDevices.devices(after: nil, limit: 1) == [NetworkFixture.device(1)])
        }
    }
}
