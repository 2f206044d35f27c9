@testable import ApplicationServer
import Foundation
import Testing

/// The running dispatcher's memory: what it takes, what it starts, what it lets go.
@Suite("Leased deliveries")
struct LeasedDeliveriesTests {
    static let hookA = UUID()
    static let hookB = UUID()

    static func delivery(_ webhook: UUID, leaseEnd seconds: TimeInterval = 120) -> WebhookDelivery {
        WebhookDelivery(
            id: WebhookDeliveryID.next(), applicationID: Fixtures.applicationID, webhookID: webhook, eventType: "uplink", body: [0x7B, 0x7D],
            queuedAt: Fixtures.t0, nextAttemptAt: Fixtures.t0.addingTimeInterval(seconds))
    }

    static func open(waiting: Int = 8, perWebhook: Int = 4, inFlight: Int = 4, inFlightPerWebhook: Int = 2) -> LeasedDeliveries {
        let leased = LeasedDeliveries(.init(waiting: waiting, waitingPerWebhook: perWebhook, inFlight: inFlight, inFlightPerWebhook: inFlightPerWebhook))
        leased.open()
        return leased
    }

    @Test("nothing is reserved while the dispatcher is not running, nor after it stopped")
    func onlyWhileRunning() {
        let leased = LeasedDeliveries(.init(waiting: 8, waitingPerWebhook: 4, inFlight: 4, inFlightPerWebhook: 2))
        #expect(leased.reserve([Self.hookA]) == nil)
        leased.open()
        let reservation = leased.reserve([Self.hookA])
        #expect(reservation != nil)
        leased.close()
        // Handing over a reservation of a run that ended keeps nothing: the rows' leases run out.
        leased.handOver([Self.delivery(Self.hookA)], reservation!)
        #expect(leased.counts.waiting == 0)
        #expect(leased.reserve([Self.hookA]) == nil)
    }

    @Test("room is bounded in all and per webhook; a cancelled reservation gives its room back")
    func bounded() throws {
        let leased = Self.open(waiting: 5, perWebhook: 3)
        var reservations: [LeasedDeliveries.Reservation] = []
        for _ in 0..<3 { reservations.append(try #require(leased.reserve([Self.hookA]))) }
        #expect(leased.reserve([Self.hookA]) == nil, "a webhook holds at most its share")
        #expect(leased.reserve([Self.hookB, Self.hookB]) != nil)
        #expect(leased.reserve([Self.hookB]) == nil, "memory is full")
        leased.cancel(reservations[0])
        #expect(leased.reserve([Self.hookB]) != nil)
    }

    @Test("waiting deliveries start in free slots, in turns between webhooks, up to each webhook's limit")
    func starts() throws {
        let leased = Self.open(waiting: 16, perWebhook: 8, inFlight: 3, inFlightPerWebhook: 2)
        let a = (0..<4).map { _ in Self.delivery(Self.hookA) }
        let b = (0..<4).map { _ in Self.delivery(Self.hookB) }
        leased.handOver(a, try #require(leased.reserve(Array(repeating: Self.hookA, count: 4))))
        leased.handOver(b, try #require(leased.reserve(Array(repeating: Self.hookB, count: 4))))

        let first = leased.start(leaseEndingAfter: Fixtures.t0.addingTimeInterval(60))
        #expect(first.started.count == 3 && first.letGo.isEmpty)
        #expect(Set(first.started.map(\.webhookID)) == [Self.hookA, Self.hookB], "both webhooks get a turn")
        let startedA = first.started.filter { $0.webhookID == Self.hookA }.map(\.id)
        #expect(startedA == a.prefix(startedA.count).map(\.id), "each webhook's in the order they came")
        #expect(leased.start(leaseEndingAfter: Fixtures.t0.addingTimeInterval(60)).started.isEmpty, "no slot is free")
        _ = leased.finish(first.started[0])
        #expect(leased.start(leaseEndingAfter: Fixtures.t0.addingTimeInterval(60)).started.count == 1)
    }

    @Test("a delivery whose lease ends at or before the cutoff is let go, not started")
    func letsGo() throws {
        let leased = Self.open()
        let short = Self.delivery(Self.hookA, leaseEnd: 60)
        let long = Self.delivery(Self.hookA, leaseEnd: 120)
        leased.handOver([short, long], try #require(leased.reserve([Self.hookA, Self.hookA])))
        let result = leased.start(leaseEndingAfter: Fixtures.t0.addingTimeInterval(60))
        #expect(result.letGo.map(\.id) == [short.id])
        #expect(result.started.map(\.id) == [long.id])
        #expect(leased.counts.waiting == 0 && leased.counts.inFlight == 1)
    }

    @Test("a claim gets the room left and skips webhooks with a full round in flight or waiting")
    func claimRoom() throws {
        let leased = Self.open(waiting: 10, perWebhook: 8, inFlight: 4, inFlightPerWebhook: 2)
        leased.handOver([Self.delivery(Self.hookA), Self.delivery(Self.hookA)], try #require(leased.reserve([Self.hookA, Self.hookA])))
        leased.handOver([Self.delivery(Self.hookB)], try #require(leased.reserve([Self.hookB])))
        let room = try #require(leased.claimRoom(batchSize: 100, minimum: 1))
        #expect(room.limit == 7)
        #expect(room.excluding == [Self.hookA])
        #expect(leased.claimRoom(batchSize: 100, minimum: 1) == nil, "the room is taken until the claim is added")
        leased.add([Self.delivery(Self.hookB)], into: room)
        #expect(leased.counts.waiting == 4)
        #expect(leased.claimRoom(batchSize: 100, minimum: 7) == nil, "less room than a worthwhile claim")
        #expect(leased.claimRoom(batchSize: 100, minimum: 6)?.limit == 6)
    }

    @Test("once a webhook a claim skipped has drained to half a round, one claim is asked for")
    func claimAfterSkip() throws {
        let leased = Self.open(waiting: 16, perWebhook: 8, inFlight: 4, inFlightPerWebhook: 2)
        let deliveries = [Self.delivery(Self.hookA), Self.delivery(Self.hookA)]
        leased.handOver(deliveries, try #require(leased.reserve([Self.hookA, Self.hookA])))
        let started = leased.start(leaseEndingAfter: Fixtures.t0).started
        #expect(started.count == 2)
        let room = try #require(leased.claimRoom(batchSize: 4, minimum: 1))
        #expect(room.excluding == [Self.hookA])
        leased.add([], into: room)
        #expect(leased.finish(started[0]), "one of two slots left: due deliveries of it may wait in the outbox")
        #expect(!leased.finish(started[1]), "asked once per skipping claim")
    }

    @Test("delivery ids are version 4 UUIDs, all different")
    func deliveryIDs() {
        var seen = Set<UUID>()
        for _ in 0..<100_000 {
            let id = WebhookDeliveryID.next()
            let text = id.uuidString
            #expect(Array(text)[14] == "4")
            #expect("89AB".contains(Array(text)[19]))
            seen.insert(id)
        }
        #expect(seen.count == 100_000)
    }
}
