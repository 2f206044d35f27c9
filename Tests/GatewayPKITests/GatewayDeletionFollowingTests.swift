import Foundation
@testable import GatewayPKI
import LoRaWAN
import Testing

/// Following gateway deletions made by other processes through the audit log: each announced once,
/// never one this process made, and a burst of events is not read again and again.
@Suite("Gateway deletion following")
struct GatewayDeletionFollowingTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let a = EUI64(0x0016_C001_FF10_0001)
    let b = EUI64(0x0016_C001_FF10_0002)

    private func deleted(_ eui: EUI64, id: Int64, at time: Date) -> AuditEvent {
        AuditEvent(id: id, time: time, actor: "cli", action: .gatewayDeleted, gatewayEUI: eui)
    }

    @Test("a deletion read by overlapping polls is announced once, and other actions never")
    func announcedOnce() {
        var following = GatewayDeletionFollowing(readSince: start)
        let registered = AuditEvent(id: 1, time: start.addingTimeInterval(0.5), actor: "cli", action: .gatewayRegistered, gatewayEUI: b)
        let events = [registered, deleted(a, id: 2, at: start.addingTimeInterval(1))]
        #expect(following.news(in: events) == [a])
        following.polled(startedAt: start.addingTimeInterval(1.2))
        #expect(following.pollFrom <= start.addingTimeInterval(1))  // the window reads the event again...
        #expect(following.news(in: events).isEmpty)  // ...and does not announce it again
    }

    @Test("a deletion this process made and announced is not announced again when read back")
    func madeHere() {
        var following = GatewayDeletionFollowing(readSince: start)
        let time = start.addingTimeInterval(2)
        following.deletedHere(a, at: time)
        // Storage keeps microseconds: the time read back may differ below that.
        #expect(following.news(in: [deleted(a, id: 7, at: time.addingTimeInterval(0.000_000_4))]).isEmpty)
        #expect(following.news(in: [deleted(b, id: 8, at: time)]) == [b])
    }

    @Test("after a burst of events, the next polls start from the clock, not from the burst")
    func burstNotReadForever() {
        var following = GatewayDeletionFollowing(readSince: start)
        let burst = (0..<100).map { AuditEvent(id: Int64($0), time: start.addingTimeInterval(Double($0) / 100), actor: "cli", action: .certificateIssued) }
        _ = following.news(in: burst)
        following.polled(startedAt: start.addingTimeInterval(30))
        #expect(following.pollFrom == start.addingTimeInterval(30 - GatewayDeletionFollowing.rereadWindow))
    }
}
