import BackendInterfaces
import LoRaWAN
import NetworkServer
import Testing

@Suite("Uplink deduplication")
struct UplinkDeduplicatorTests {
    typealias Deduplicator = UplinkDeduplicator<TestInstant>
    let frame: [UInt8] = [0x40, 1, 2, 3, 4, 0, 1, 0, 1, 0xAA, 0xBB, 0xCC, 0xDD]
    let other: [UInt8] = [0x40, 1, 2, 3, 4, 0, 2, 0, 1, 0xAA, 0xBB, 0xCC, 0xEE]

    func copy(_ bytes: [UInt8], gateway: UInt64, snr: Double, rssi: Double = -80) -> GatewayUplink {
        GatewayUplink(gatewayEUI: EUI64(gateway), phyPayload: bytes, metadata: Fixture.metadata(snr: snr, rssi: rssi))
    }

    @Test("copies within the window form one frame with every gateway, best SNR then RSSI first")
    func groups() {
        var dedup = Deduplicator()
        guard case .opened(nil) = dedup.receive(copy(frame, gateway: 1, snr: 2), now: .milliseconds(0)) else {
            Issue.record("the first copy opens a window")
            return
        }
        #expect(dedup.receive(copy(frame, gateway: 2, snr: 9, rssi: -100), now: .milliseconds(50)).isAdded)
        #expect(dedup.receive(copy(frame, gateway: 3, snr: 9, rssi: -70), now: .milliseconds(199)).isAdded)
        #expect(dedup.collect(now: .milliseconds(199)).isEmpty, "the window is still open")
        let done = dedup.collect(now: .milliseconds(200))
        #expect(done.count == 1)
        #expect(done.first?.phyPayload == frame)
        #expect(done.first?.receptions.map(\.gatewayEUI.rawValue) == [3, 2, 1])
        #expect(done.first?.gatewayCount == 3)
        #expect(done.first?.firstReceivedAt == .milliseconds(0))
        #expect(done.first?.closedEarly == false)
        #expect(dedup.openWindowCount == 0)
    }

    @Test("different bytes are different frames, collected in arrival order")
    func separateFrames() {
        var dedup = Deduplicator()
        _ = dedup.receive(copy(frame, gateway: 1, snr: 1), now: .milliseconds(0))
        _ = dedup.receive(copy(other, gateway: 1, snr: 1), now: .milliseconds(10))
        #expect(dedup.nextDeadline == .milliseconds(200))
        #expect(dedup.collect(now: .milliseconds(205)).map(\.phyPayload) == [frame])
        #expect(dedup.collect(now: .milliseconds(210)).map(\.phyPayload) == [other])
        #expect(dedup.nextDeadline == nil)
    }

    @Test("a copy after the window is dropped as late, not processed twice")
    func lateCopies() {
        var dedup = Deduplicator()
        _ = dedup.receive(copy(frame, gateway: 1, snr: 1), now: .milliseconds(0))
        // Past the deadline but not collected yet.
        #expect(dedup.receive(copy(frame, gateway: 2, snr: 5), now: .milliseconds(250)).isLate)
        #expect(dedup.collect(now: .milliseconds(300)).first?.gatewayCount == 1)
        // Collected: within the retention the key is remembered.
        #expect(dedup.receive(copy(frame, gateway: 3, snr: 5), now: .milliseconds(900)).isLate)
        #expect(dedup.lateCopyCount == 2)
        // Long after, identical bytes are a new transmission (a confirmed retransmission after
        // RETRANSMIT_TIMEOUT), which must reach the frame counter check to be answered again.
        guard case .opened = dedup.receive(copy(frame, gateway: 1, snr: 1), now: .milliseconds(3_500)) else {
            Issue.record("a retransmission seconds later opens a new window")
            return
        }
    }

    @Test("a gateway counts once, with its better copy")
    func sameGatewayTwice() {
        var dedup = Deduplicator()
        _ = dedup.receive(copy(frame, gateway: 7, snr: 1), now: .milliseconds(0))
        _ = dedup.receive(copy(frame, gateway: 7, snr: 4), now: .milliseconds(5))
        _ = dedup.receive(copy(frame, gateway: 7, snr: 2), now: .milliseconds(6))
        let group = dedup.collect(now: .milliseconds(1_000)).first
        #expect(group?.gatewayCount == 1)
        #expect(group?.best.metadata.snr == 4)
    }

    @Test("memory is bounded: beyond the maximum the oldest window closes early and is handed back")
    func bounded() {
        var dedup = Deduplicator(configuration: .init(maximumOpenWindows: 2))
        _ = dedup.receive(copy([0x40, 1], gateway: 1, snr: 1), now: .milliseconds(0))
        _ = dedup.receive(copy([0x40, 2], gateway: 1, snr: 1), now: .milliseconds(1))
        guard case .opened(let evicted?) = dedup.receive(copy([0x40, 3], gateway: 1, snr: 1), now: .milliseconds(2)) else {
            Issue.record("the oldest window is closed early")
            return
        }
        #expect(evicted.phyPayload == [0x40, 1])
        #expect(evicted.closedEarly)
        #expect(dedup.closedEarlyCount == 1)
        #expect(dedup.openWindowCount == 2)
        #expect(dedup.collect(now: .milliseconds(500)).map(\.phyPayload) == [[0x40, 2], [0x40, 3]])
    }

    @Test("a flood of distinct frames never holds more than the maximum")
    func flood() {
        var dedup = Deduplicator(configuration: .init(maximumOpenWindows: 50))
        var handedBack = 0
        for i in 0..<10_000 {
            let bytes: [UInt8] = [0x40, UInt8(i & 0xFF), UInt8(i >> 8)]
            if case .opened(let evicted) = dedup.receive(copy(bytes, gateway: 1, snr: 0), now: .milliseconds(Int64(i / 100))) {
                if evicted != nil { handedBack += 1 }
            }
            #expect(dedup.openWindowCount <= 50)
        }
        handedBack += dedup.collect(now: .milliseconds(1_000_000)).count
        #expect(handedBack == 10_000, "every frame comes out once")
    }

    @Test("the per-frame gateway limit drops further gateways")
    func receptionLimit() {
        var dedup = Deduplicator(configuration: .init(maximumReceptionsPerFrame: 2))
        _ = dedup.receive(copy(frame, gateway: 1, snr: 1), now: .milliseconds(0))
        _ = dedup.receive(copy(frame, gateway: 2, snr: 1), now: .milliseconds(1))
        #expect(dedup.receive(copy(frame, gateway: 3, snr: 1), now: .milliseconds(2)).isLate)
        #expect(dedup.collect(now: .milliseconds(300)).first?.gatewayCount == 2)
    }

    @Test("the window length is configurable")
    func configurableWindow() {
        var dedup = Deduplicator(configuration: .init(window: .milliseconds(50)))
        _ = dedup.receive(copy(frame, gateway: 1, snr: 1), now: .milliseconds(0))
        #expect(dedup.receive(copy(frame, gateway: 2, snr: 1), now: .milliseconds(60)).isLate)
        #expect(dedup.collect(now: .milliseconds(50)).count == 1)
    }

    @Test("works with the continuous clock's instants")
    func continuousClock() {
        var dedup = UplinkDeduplicator<ContinuousClock.Instant>()
        let start = ContinuousClock.now
        _ = dedup.receive(copy(frame, gateway: 1, snr: 1), now: start)
        #expect(dedup.collect(now: start.advanced(by: .milliseconds(200))).count == 1)
    }
}

extension UplinkDeduplicator.ReceiveOutcome {
    var isAdded: Bool { if case .added = self { true } else { false } }
    var isLate: Bool { if case .late = self { true } else { false } }
}
