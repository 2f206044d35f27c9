import BackendInterfaces
import Foundation
import LoRaWAN
import Logging
import NetworkServer
import Testing

/// The Network Server's uplink pipeline with its storage in memory: deduplication across gateways,
/// the counter rule, retransmissions, key separation of what reaches the application, downlinks.
@Suite struct NetworkServerPipelineTests {
    static let gatewayA = EUI64(0xAA55_0000_0000_0001)
    static let gatewayB = EUI64(0xAA55_0000_0000_0002)

    struct Harness {
        let server: NetworkServer
        let store: InMemoryNetworkStore
        let application: RecordingApplication
        let gateways: RecordingGateways

        init(session: NetworkSession? = nil) async throws {
            store = InMemoryNetworkStore()
            application = RecordingApplication()
            gateways = RecordingGateways(connected: [gatewayA, gatewayB])
            server = NetworkServer(
                configuration: NetworkServerConfiguration(netID: NetID(0)!, deduplicationWindow: .milliseconds(20)),
                devices: store, sessions: store, downlinks: store, joinService: UnreachableJoinService(), keks: KEKRing([]),
                gateways: gateways, gatewayRegion: { _ in .eu868 }, application: application, logger: Logger(label: "test"))
            if let session { try await store.activate(session) }
        }

        func hear(_ bytes: [UInt8], by gateways: [EUI64] = [gatewayA], snr: [Double] = [5, 9]) async {
            for (index, gateway) in gateways.enumerated() {
                await server.uplinkReceived(GatewayUplink(
                    gatewayEUI: gateway, phyPayload: bytes, metadata: Fixture.metadata(snr: snr[index % snr.count])))
            }
        }

        /// Waits until `condition` holds; frames are processed after their window on other tasks.
        func eventually(_ condition: @Sendable () -> Bool) async throws {
            let deadline = ContinuousClock.now.advanced(by: .seconds(60))
            while !condition() {
                guard ContinuousClock.now < deadline else { Issue.record("condition not met within 60 s"); return }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    @Test func copiesFromTwoGatewaysBecomeOneUplinkWithBothReceptionsBestFirst() async throws {
        let session = try Fixture.session()
        let harness = try await Harness(session: session)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 1), by: [Self.gatewayA, Self.gatewayB], snr: [2, 8])
        try await harness.eventually { harness.application.uplinks.count == 1 }
        try await Task.sleep(for: .milliseconds(50))
        let uplink = try #require(harness.application.uplinks.first)
        #expect(harness.application.uplinks.count == 1)
        #expect(uplink.receptions.map(\.gatewayEUI) == [Self.gatewayB, Self.gatewayA])
        #expect(uplink.fCnt == 1 && uplink.fPort == 1)
        // Still encrypted: the Network Server hands on the bytes it cannot read.
        #expect(uplink.encryptedFRMPayload == [0xCA, 0xFE])
        #expect(harness.store.stored(Fixture.devEUI)?.fCntUp == 1)
    }

    @Test func aReplayedFrameIsDroppedCountedAndReported() async throws {
        let session = try Fixture.session()
        let harness = try await Harness(session: session)
        let frame = try Fixture.uplink(for: session, fCnt: 7)
        await harness.hear(frame)
        try await harness.eventually { harness.application.uplinks.count == 1 }
        // After the late-copy memory (1 s) the same bytes are a replay, not a copy.
        try await Task.sleep(for: .milliseconds(1_100))
        await harness.hear(frame)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 3))
        try await harness.eventually { harness.application.networkEvents.filter { $0.kind == .replayDropped }.count == 2 }
        #expect(harness.application.uplinks.count == 1)
        #expect(harness.store.stored(Fixture.devEUI)?.fCntUp == 7)
    }

    @Test func aForgedFrameIsAMICFailureAndChangesNothing() async throws {
        let session = try Fixture.session()
        let harness = try await Harness(session: session)
        var frame = try Fixture.uplink(for: session, fCnt: 1)
        frame[frame.count - 1] ^= 0xFF
        await harness.hear(frame)
        try await harness.eventually { harness.application.networkEvents.contains { $0.kind == .micFailed } }
        #expect(harness.application.uplinks.isEmpty)
        #expect(harness.store.stored(Fixture.devEUI)?.fCntUp == nil)
    }

    @Test func garbageAndUnknownAddressesAreDroppedWithReasons() async throws {
        let session = try Fixture.session()
        let harness = try await Harness(session: session)
        await harness.hear([0x40, 0x01, 0x02])
        await harness.hear(try Fixture.uplink(for: session, fCnt: 1, devAddr: DevAddr(0x0700_0001)))
        try await harness.eventually {
            let kinds = Set(harness.application.networkEvents.map(\.kind))
            return kinds.contains(.malformedFrame) && kinds.contains(.unknownDevAddr)
        }
        #expect(harness.application.uplinks.isEmpty)
    }

    @Test func aConfirmedUplinkIsAcknowledgedAndItsRetransmissionGetsTheSameAckButNoNewDelivery() async throws {
        let session = try Fixture.session()
        let harness = try await Harness(session: session)
        let frame = try Fixture.uplink(for: session, fCnt: 4, confirmed: true)
        await harness.hear(frame)
        try await harness.eventually { harness.gateways.downlinks.count == 1 }
        try await Task.sleep(for: .milliseconds(1_100))
        await harness.hear(frame)
        try await harness.eventually { harness.gateways.downlinks.count == 2 }
        #expect(harness.application.uplinks.count == 1)
        for (downlink, gateway) in harness.gateways.downlinks {
            #expect(gateway == Self.gatewayA)
            let decoded = try DataFrame(decoding: downlink.phyPayload)
            guard case .downlink(let fCtrl) = decoded.fCtrl else { Issue.record("not a downlink"); continue }
            #expect(fCtrl.ack)
            #expect(downlink.deviceClass == .a && downlink.uplinkXTime == Fixture.metadata().xtime)
        }
        // Each downlink spent its own counter, stored before it left.
        #expect(harness.store.stored(Fixture.devEUI)?.downlinkCounters == .shared(fCntDown: 2))
    }

    @Test func aQueuedConfirmedApplicationDownlinkGoesOutAndIsSettledByTheNextUplink() async throws {
        let session = try Fixture.session()
        let harness = try await Harness(session: session)
        let reservation = try await harness.server.reserveDownlinkCounter(devEUI: Fixture.devEUI)
        #expect(reservation.fCnt == 0 && reservation.sessionKeyID == Fixture.sessionKeyID)
        try await harness.server.enqueue(Fixture.applicationDownlink(fCnt: reservation.fCnt, confirmed: true))
        await harness.hear(try Fixture.uplink(for: session, fCnt: 1))
        try await harness.eventually { harness.gateways.downlinks.count == 1 }
        let sent = try DataFrame(decoding: harness.gateways.downlinks[0].downlink.phyPayload)
        #expect(sent.confirmed && sent.fPort == 1 && sent.frmPayload == [1, 2, 3])
        #expect(try await harness.server.queued(devEUI: Fixture.devEUI).isEmpty)

        await harness.server.downlinkTransmitted(GatewayDownlinkTransmitted(
            diid: harness.gateways.downlinks[0].downlink.diid, gatewayEUI: Self.gatewayA, devEUI: Fixture.devEUI, xtime: 1, txtime: 1,
            gpsTime: 0, dataRate: .dr5, frequency: Frequency(hertz: 868_100_000)))
        await harness.hear(try Fixture.uplink(for: session, fCnt: 2, ack: true))
        try await harness.eventually { harness.application.downlinkEvents.count == 2 }
        #expect(harness.application.downlinkEvents.map(\.outcome) == [.sent, .acknowledged])
    }

    @Test func aDownlinkTooLongForTheDataRateIsDroppedWithAReason() async throws {
        let session = try Fixture.session()
        let harness = try await Harness(session: session)
        var downlink = Fixture.applicationDownlink(fCnt: 0)
        downlink.encryptedFRMPayload = [UInt8](repeating: 0xAB, count: 250)
        try await harness.server.enqueue(downlink)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 1, dataRate: .dr0))
        try await harness.eventually { harness.application.downlinkEvents.contains { $0.outcome == .dropped } }
        #expect(try await harness.server.queued(devEUI: Fixture.devEUI).isEmpty)
    }

    @Test func concurrentFramesOfOneDeviceNeverAcceptTheSameCounterTwice() async throws {
        let session = try Fixture.session()
        let harness = try await Harness(session: session)
        // Ten frames, heard in a burst: every one is a new counter; each must be accepted exactly once.
        let frames = try (1 ... 10).map { try Fixture.uplink(for: session, fCnt: UInt32($0)) }
        await withTaskGroup(of: Void.self) { group in
            for frame in frames { group.addTask { await harness.hear(frame) } }
        }
        try await harness.eventually { harness.application.uplinks.count + harness.application.networkEvents.count >= 10 }
        try await Task.sleep(for: .milliseconds(100))
        let accepted = harness.application.uplinks.map(\.fCnt)
        #expect(Set(accepted).count == accepted.count)
        #expect(harness.store.stored(Fixture.devEUI)?.fCntUp == accepted.max())
    }
}
