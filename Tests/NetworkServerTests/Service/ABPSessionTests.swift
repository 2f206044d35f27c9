import BackendInterfaces
import Foundation
import LoRaWAN
import Logging
import NetworkServer
import Testing

/// ABP sessions through the Network Server's pipeline: a 1.1 ABP device's ResetInd (LoRaWAN 1.1 §5.1)
/// and a session activated by the operator while the server runs.
@Suite struct ABPSessionTests {
    typealias Harness = NetworkServerPipelineTests.Harness

    /// A 1.1 ABP session whose MAC settings the network has moved away from the provisioned ones, with a
    /// request still waiting for its answer.
    static func movedABPSession(activation: NetworkSession.Activation = .abp) throws -> NetworkSession {
        var session = try Fixture.session(keys: Fixture.currentKeys(), activation: activation, fCntUp: 10)
        session.macSettings.rx1DROffset = RX1DROffset(truncatingIfNeeded: 2)
        session.macSettings.nbTrans = NbTrans(truncatingIfNeeded: 3)
        session.macSettings.txPower = TXPower(truncatingIfNeeded: 4)
        session.macSettings.enabledUplinkChannels = [0]
        session.pendingMACRequests = [.dutyCycleReq(maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: 2))]
        return session
    }

    static let resetInd: [UInt8] = {
        var bytes: [UInt8] = []
        UplinkMACCommand.resetInd(minor: .lorawan1_1).encode(into: &bytes)
        return bytes
    }()

    /// The MAC commands of a downlink the network sent to `session`'s device, in clear.
    static func macCommands(of phyPayload: [UInt8], session: NetworkSession) throws -> [DownlinkMACCommand] {
        let frame = try DataFrame(decoding: phyPayload)
        let fCnt = UInt32(frame.fCnt16)
        let clear = frame.fPort == 0
            ? DataFrameCrypto.cryptNetworkPayload(frame.frmPayload, direction: .downlink, devAddr: frame.devAddr, fCnt: fCnt, keys: session.keys)
            : try DataFrameCrypto.cryptFOpts(frame.fOpts, frame: frame, fCnt: fCnt, keys: session.keys)
        return try MACCommandCodec.decodeDownlink(clear)
    }

    @Test("a 1.1 ABP ResetInd is answered with ResetConf, and the session returns to its provisioned MAC settings")
    func resetIndRestoresProvisionedSettings() async throws {
        let session = try Self.movedABPSession()
        let provisioned = session.provisionedMACSettings
        #expect(session.macSettings != provisioned)
        let harness = try await Harness(session: session)

        await harness.hear(try Fixture.uplink(for: session, fCnt: 11, fOpts: Self.resetInd))
        try await harness.eventually { harness.gateways.downlinks.count == 1 }
        let commands = try Self.macCommands(of: harness.gateways.downlinks[0].downlink.phyPayload, session: session)
        #expect(commands.contains(.resetConf(minor: .lorawan1_1)))

        let stored = try #require(harness.store.stored(Fixture.devEUI))
        #expect(stored.fCntUp == 11, "frame counters are not reset (§5.1)")
        #expect(stored.macSettings.rx1DROffset == provisioned.rx1DROffset)
        #expect(stored.macSettings.nbTrans == provisioned.nbTrans)
        #expect(stored.macSettings.txPower == provisioned.txPower)
        #expect(stored.macSettings.enabledUplinkChannels == provisioned.enabledUplinkChannels)
        // The request sent before the reset no longer applies.
        #expect(!stored.pendingMACRequests.contains(.dutyCycleReq(maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: 2))))
        #expect(harness.application.uplinks.count == 1)
    }

    @Test("ResetInd from a 1.1 OTAA session is ignored: no ResetConf, settings kept")
    func resetIndFromOTAAIsIgnored() async throws {
        let session = try Self.movedABPSession(activation: .otaa)
        let harness = try await Harness(session: session)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 11, fOpts: Self.resetInd))
        try await harness.eventually { harness.application.uplinks.count == 1 }
        try await harness.eventually { harness.store.stored(Fixture.devEUI)?.fCntUp == 11 }
        for sent in harness.gateways.downlinks {
            #expect(!(try Self.macCommands(of: sent.downlink.phyPayload, session: session)).contains(.resetConf(minor: .lorawan1_1)))
        }
        let stored = try #require(harness.store.stored(Fixture.devEUI))
        #expect(stored.macSettings.nbTrans == session.macSettings.nbTrans)
        #expect(stored.macSettings.enabledUplinkChannels == [0])
    }

    @Test("a session activated while the server runs takes the next uplink, even right after its DevAddr was unknown")
    func activationReachesTheRunningServer() async throws {
        let harness = try await Harness()
        let session = try Fixture.session(keys: Fixture.legacyKeys, activation: .abp)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 1))
        try await harness.eventually { harness.application.networkEvents.contains { $0.kind == .unknownDevAddr } }

        try await harness.server.activate(session)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 2))
        try await harness.eventually { harness.application.uplinks.count == 1 }
        #expect(harness.application.uplinks.first?.fCnt == 2)
        #expect(harness.application.uplinks.first?.sessionKeyID == session.sessionKeyID)

        try await harness.server.deactivate(devEUI: Fixture.devEUI)
        #expect(harness.store.stored(Fixture.devEUI) == nil)
        await harness.hear(try Fixture.uplink(for: session, fCnt: 3))
        try await harness.eventually { harness.application.networkEvents.filter { $0.kind == .unknownDevAddr }.count == 2 }
        #expect(harness.application.uplinks.count == 1)
    }
}
