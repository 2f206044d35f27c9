import BackendInterfaces
import Foundation
import LoRaWAN
import NetworkServer
import Testing

/// The pure pieces in the order the Network Server runs them for one frame, as the wiring will.
@Suite("Uplink to downlink flow")
struct UplinkFlowTests {
    struct Outcome {
        var decision: FrameCounterDecision
        var downlink: GatewayDownlink?
        var response: MACCommandResponse?
    }

    /// Dedup → verify → counter rule → MAC → downlink → receive windows.
    static func process(_ copies: [GatewayUplink], session: inout NetworkSession, at start: TestInstant) throws -> Outcome? {
        var dedup = UplinkDeduplicator<TestInstant>()
        for (i, copy) in copies.enumerated() { _ = dedup.receive(copy, now: start.advanced(by: .milliseconds(Int64(i)))) }
        guard let group = dedup.collect(now: start.advanced(by: .seconds(1))).first else { return nil }
        let layout = try DataUplinkVerification.parse(group.phyPayload)
        let best = group.best.metadata
        guard case .verified(let verified) = DataUplinkVerification.verify(
            phyPayload: group.phyPayload, layout: layout, dataRate: best.dataRate, frequency: best.frequency, candidates: [session])
        else { return nil }
        let frame = try DataFrame(decoding: group.phyPayload)
        let context = UplinkRadioContext(group, serverTime: Date(timeIntervalSince1970: 1_700_000_000))
        var response: MACCommandResponse?
        switch verified.frameCounter {
        case .new(let fCnt):
            session.recordAcceptedUplink(fCnt: fCnt, confirmed: frame.confirmed, adr: frame.fCtrl.adr, context: context)
            response = MACCommandResponder().respond(
                to: UplinkMACCommandReader.read(frame: frame, fCnt: fCnt, session: session), context: context, fCnt: fCnt,
                session: &session)
        case .retransmission:
            break  // the same ACK, nothing new delivered, no MAC processing
        case .replay, .gapTooLarge:
            return Outcome(decision: verified.frameCounter, downlink: nil, response: nil)
        }
        let content = DownlinkFrameContent(
            macCommands: response?.answers ?? [], acknowledgedUplinkFCnt: frame.confirmed ? verified.frameCounter.fCnt : nil)
        let windows = try ReceiveWindowPlanner.windows(for: session, uplink: best)
        let built = try DownlinkFrameBuilder.build(content, for: session, dataRate: windows.rx1.dataRate)
        let downlink = try ReceiveWindowPlanner.classA(phyPayload: built.phyPayload, session: session, answering: best, diid: 1)
        session.recordDownlinkSent(built)
        return Outcome(decision: verified.frameCounter, downlink: downlink, response: response)
    }

    @Test("a confirmed uplink heard by two gateways is answered once, with ACK and LinkCheckAns, through the best gateway")
    func confirmedUplink() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys(), fCntUp: 99)
        let bytes = try Fixture.uplink(for: session, fCnt: 100, confirmed: true, fOpts: [0x02], dataRate: .dr5)
        let copies = [
            GatewayUplink(gatewayEUI: EUI64(1), phyPayload: bytes, metadata: Fixture.metadata(snr: -1, xtime: 111)),
            GatewayUplink(gatewayEUI: EUI64(2), phyPayload: bytes, metadata: Fixture.metadata(snr: 6, xtime: 222)),
        ]
        let outcome = try #require(try Self.process(copies, session: &session, at: .milliseconds(0)))
        #expect(outcome.decision == .new(100))
        #expect(outcome.response?.answers == [.linkCheckAns(margin: 13, gwCnt: 2)])
        let downlink = try #require(outcome.downlink)
        #expect(downlink.uplinkXTime == 222, "answered through the gateway with the best SNR")
        #expect(session.fCntUp == 100)
        // The device checks the downlink: MIC under SNwkSIntKey with ConfFCnt = its uplink's counter.
        let wire = try DataFrame(decoding: downlink.phyPayload)
        #expect(wire.fCtrl.ack)
        guard case .current(_, let s, _, _) = session.keys else { return }
        #expect(DataFrameMIC.computeDownlinkMIC(sNwkSIntKey: s, confFCnt: 100, devAddr: session.devAddr, fCnt: 0,
                                                message: Array(downlink.phyPayload.dropLast(4))) == wire.mic)
    }

    @Test("the retransmission of the last confirmed uplink gets the same ACK and delivers nothing new")
    func retransmission() throws {
        var session = try Fixture.session(fCntUp: 10)
        let bytes = try Fixture.uplink(for: session, fCnt: 11, confirmed: true, fOpts: [0x02])
        let copy = GatewayUplink(gatewayEUI: EUI64(1), phyPayload: bytes, metadata: Fixture.metadata())
        let first = try #require(try Self.process([copy], session: &session, at: .milliseconds(0)))
        #expect(first.decision == .new(11))
        let afterFirst = session
        let again = try #require(try Self.process([copy], session: &session, at: .milliseconds(3_000)))
        #expect(again.decision == .retransmission(11))
        #expect(again.response == nil, "its MAC commands were already processed")
        #expect(try DataFrame(decoding: #require(again.downlink).phyPayload).fCtrl.ack)
        #expect(session.fCntUp == afterFirst.fCntUp)
        #expect(session.adrHistory == afterFirst.adrHistory)
    }

    @Test("a frame whose counter does not advance is dropped and changes nothing")
    func replayDropped() throws {
        var session = try Fixture.session(fCntUp: 10)
        let bytes = try Fixture.uplink(for: session, fCnt: 11)
        let copy = GatewayUplink(gatewayEUI: EUI64(1), phyPayload: bytes, metadata: Fixture.metadata())
        _ = try Self.process([copy], session: &session, at: .milliseconds(0))
        let before = session
        let replayed = try #require(try Self.process([copy], session: &session, at: .milliseconds(10_000)))
        #expect(replayed.decision == .replay(11))
        #expect(replayed.downlink == nil)
        #expect(session == before)
    }
}
