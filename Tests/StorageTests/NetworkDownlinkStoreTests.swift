import BackendInterfaces
import Foundation
import LoRaWAN
import NetworkServer
@testable import Storage
import Testing

@Suite("Network downlink queue")
struct NetworkDownlinkStoreTests {
    @Test("a device's downlinks come back whole, in FCnt order, whatever the order they were queued in", arguments: Backend.available)
    func fCntOrder(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let downlinks = [7, 2, 70_000, 3, 0].map { NetworkFixture.downlink(1, fCnt: UInt32($0), confirmed: $0 == 3) }
            for downlink in downlinks { try await store.networkDownlinks.enqueue(downlink) }
            try await store.networkDownlinks.enqueue(NetworkFixture.downlink(2, fCnt: 1))

            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(1)) == downlinks.sorted { $0.fCnt < $1.fCnt })
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(2)).map(\.fCnt) == [1])
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(3)).isEmpty)
        }
    }

    @Test("downlinks with the same FCnt keep the order they were queued in; enqueuing an id again keeps the first", arguments: Backend.available)
    func ties(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let first = NetworkFixture.downlink(1, fCnt: 5)
            let second = NetworkFixture.downlink(1, fCnt: 5)
            try await store.networkDownlinks.enqueue(first)
            try await store.networkDownlinks.enqueue(second)
            var retried = first
            retried.fCnt = 1
            try await store.networkDownlinks.enqueue(retried)
            #expect(try await store.networkDownlinks.queued(devEUI: first.devEUI) == [first, second])
        }
    }

    @Test("a downlink is removed once; clearing a device removes all of its own", arguments: Backend.available)
    func removeAndClear(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let downlinks = (1...4).map { NetworkFixture.downlink(1, fCnt: UInt32($0)) }
            for downlink in downlinks { try await store.networkDownlinks.enqueue(downlink) }
            let other = NetworkFixture.downlink(2, fCnt: 1)
            try await store.networkDownlinks.enqueue(other)

            #expect(try await store.networkDownlinks.remove(id: downlinks[1].id))
            #expect(try await store.networkDownlinks.remove(id: downlinks[1].id) == false)
            #expect(try await store.networkDownlinks.remove(id: UUID()) == false)
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(1)) == [downlinks[0], downlinks[2], downlinks[3]])

            #expect(try await store.networkDownlinks.clear(devEUI: NetworkFixture.devEUI(1)) == 3)
            #expect(try await store.networkDownlinks.clear(devEUI: NetworkFixture.devEUI(1)) == 0)
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(1)).isEmpty)
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(2)) == [other])
        }
    }

    @Test("queued downlinks survive closing and reopening the store", arguments: Backend.available)
    func survivesReopen(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let downlinks = (1...3).map { NetworkFixture.downlink(1, fCnt: UInt32($0), confirmed: $0 == 2) }
            for downlink in downlinks { try await store.networkDownlinks.enqueue(downlink) }
            await store.close()
            let reopened = try await database.open()
            #expect(try await reopened.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(1)) == downlinks)
            await reopened.close()
        }
    }
}
