import BackendInterfaces
import Foundation
import LoRaWAN
import NetworkServer
import Testing

/// Desired MAC settings through the Network Server's pipeline: set by the operator, sent in the
/// downlink that answers the next uplink, applied to the session when the device's answer accepts
/// them, and not asked again once refused.
@Suite struct MACSettingsPipelineTests {
    typealias Harness = NetworkServerPipelineTests.Harness

    static let rx2DR3 = DownlinkMACCommand.rxParamSetupReq(
        rx1DROffset: RX1DROffset(truncatingIfNeeded: 0), rx2DataRate: .dr3, frequency: try! ChannelFrequency(hertz: 869_525_000))

    /// A harness with `session` and its device registered.
    static func harness(_ session: NetworkSession) async throws -> Harness {
        let harness = try await Harness(session: session)
        try await harness.store.save(NetworkDevice(
            devEUI: session.devEUI, joinEUI: nil, macVersion: session.macVersion, region: session.region, createdAt: Date()))
        return harness
    }

    @Test("a desired RX2 data rate goes out in the next downlink; the session changes when the device accepts it")
    func desiredRX2Converges() async throws {
        let session = try Fixture.session()
        let harness = try await Self.harness(session)
        let set = try await harness.server.setDesiredMACSettings(DesiredMACSettings(rx2DataRate: .dr3), of: Fixture.devEUI)
        #expect(set.changes.map(\.state) == [.queued])
        #expect(set.current?.rx2DataRate == .dr0)

        // An unconfirmed uplink with nothing to answer: the wish alone is a reason to use the window.
        await harness.hear(try Fixture.uplink(for: session, fCnt: 1))
        try await harness.eventually { harness.gateways.downlinks.count == 1 }
        let sent = try ABPSessionTests.macCommands(of: harness.gateways.downlinks[0].downlink.phyPayload, session: session)
        #expect(sent.first == Self.rx2DR3)
        #expect(harness.store.stored(Fixture.devEUI)?.pendingMACRequests.contains(Self.rx2DR3) == true)
        #expect(try await harness.server.macSettings(of: Fixture.devEUI).changes.map(\.state) == [.awaitingAnswer])

        // The device applied it and says so (RXParamSetupAns, every ACK bit set).
        await harness.hear(try Fixture.uplink(for: session, fCnt: 2, fOpts: [0x05, 0x07]))
        try await harness.eventually { harness.store.stored(Fixture.devEUI)?.macSettings.rx2DataRate == .dr3 }
        let report = try await harness.server.macSettings(of: Fixture.devEUI)
        #expect(report.isInSync)
        #expect(report.current?.rx2DataRate == .dr3)
        // Nothing is left to say: no further downlink.
        try await Task.sleep(for: .milliseconds(100))
        #expect(harness.gateways.downlinks.count == 1)
    }

    @Test("a refused request is not sent on every uplink; setting the wish again asks once more")
    func refusalStopsTheLoop() async throws {
        let session = try Fixture.session()
        let harness = try await Self.harness(session)
        let desired = DesiredMACSettings(rx2DataRate: .dr3)
        _ = try await harness.server.setDesiredMACSettings(desired, of: Fixture.devEUI)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 1))
        try await harness.eventually { harness.gateways.downlinks.count == 1 }

        // RX2DataRateACK = 0: the device refuses the data rate.
        await harness.hear(try Fixture.uplink(for: session, fCnt: 2, fOpts: [0x05, 0x05]))
        try await harness.eventually { harness.store.stored(Fixture.devEUI)?.macReconciliation.rejections.count == 1 }
        await harness.hear(try Fixture.uplink(for: session, fCnt: 3))
        try await harness.eventually { harness.store.stored(Fixture.devEUI)?.fCntUp == 3 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(harness.gateways.downlinks.count == 1, "no downlink just to ask again")
        let report = try await harness.server.macSettings(of: Fixture.devEUI)
        #expect(report.changes.map(\.state) == [.rejected(.rxParamSetupAns([.channelACK, .rx1DROffsetACK]))])
        #expect(report.current?.rx2DataRate == .dr0)

        _ = try await harness.server.setDesiredMACSettings(desired, of: Fixture.devEUI)
        #expect(harness.store.stored(Fixture.devEUI)?.macReconciliation.rejections.isEmpty == true)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 4))
        try await harness.eventually { harness.gateways.downlinks.count == 2 }
        #expect(try ABPSessionTests.macCommands(of: harness.gateways.downlinks[1].downlink.phyPayload, session: session).first == Self.rx2DR3)
    }

    @Test("ForceRejoinReq: queued for a 1.1 device, sent once in its next downlink; refused for 1.0 and unknown devices")
    func forceRejoin() async throws {
        let session = try Fixture.session(keys: Fixture.currentKeys())
        let harness = try await Self.harness(session)
        let report = try await harness.server.forceRejoin(Fixture.devEUI, rejoinType: .type2)
        let queued = try #require(report.pendingForceRejoin)
        #expect(queued.dataRate == session.macSettings.dataRate && queued.rejoinType == .type2)

        await harness.hear(try Fixture.uplink(for: session, fCnt: 1))
        try await harness.eventually { harness.gateways.downlinks.count == 1 }
        let sent = try ABPSessionTests.macCommands(of: harness.gateways.downlinks[0].downlink.phyPayload, session: session)
        #expect(sent.contains(queued.command))
        #expect(harness.store.stored(Fixture.devEUI)?.macReconciliation.forceRejoin == nil)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 2))
        try await harness.eventually { harness.store.stored(Fixture.devEUI)?.fCntUp == 2 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(harness.gateways.downlinks.count == 1, "sent once")

        let legacy = try await Self.harness(try Fixture.session())
        await #expect(throws: MACSettingsError.forceRejoinNeedsLoRaWAN11(Fixture.devEUI, .v1_0_3)) {
            try await legacy.server.forceRejoin(Fixture.devEUI)
        }
        await #expect(throws: MACSettingsError.unknownDevice(EUI64(1))) { try await legacy.server.forceRejoin(EUI64(1)) }
        await #expect(throws: MACSettingsError.forceRejoinDataRate(.dr12, .eu868)) {
            try await harness.server.forceRejoin(Fixture.devEUI, dataRate: .dr12)
        }
    }

    @Test("a wish the device's region does not allow is refused when set and nothing is stored")
    func invalidWishIsRefused() async throws {
        let harness = try await Self.harness(try Fixture.session())
        await #expect(throws: MACSettingsError.invalid(DesiredMACSettingsError(.rx2Frequency,
            "915 MHz is outside the EU868 band 863 MHz to 870 MHz"))) {
            try await harness.server.setDesiredMACSettings(DesiredMACSettings(rx2Frequency: Frequency(hertz: 915_000_000)), of: Fixture.devEUI)
        }
        #expect(try await harness.store.device(Fixture.devEUI)?.desiredMACSettings.isEmpty == true)
        await #expect(throws: MACSettingsError.unknownDevice(EUI64(1))) {
            try await harness.server.setDesiredMACSettings(DesiredMACSettings(), of: EUI64(1))
        }
    }
}
