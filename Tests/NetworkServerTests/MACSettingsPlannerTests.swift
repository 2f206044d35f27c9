import LoRaWAN
import NetworkServer
import Testing

@Suite("MAC settings planner")
struct MACSettingsPlannerTests {
    static let eu868RX2 = Frequency(hertz: 869_525_000)

    func plan(_ session: NetworkSession, _ desired: DesiredMACSettings, after chosen: [DownlinkMACCommand] = []) -> [DownlinkMACCommand] {
        MACSettingsPlanner.requests(for: session, desired: desired, alongside: chosen)
    }

    static func frequency(_ hertz: UInt32) throws -> ChannelFrequency { try ChannelFrequency(hertz: hertz) }

    // MARK: Each command

    @Test("an RX2 wish is one RXParamSetupReq that keeps the fields without a wish at their current value")
    func rxParameters() throws {
        let session = try Fixture.session()
        #expect(plan(session, DesiredMACSettings(rx2DataRate: .dr3)) == [
            .rxParamSetupReq(rx1DROffset: session.macSettings.rx1DROffset, rx2DataRate: .dr3, frequency: try Self.frequency(869_525_000)),
        ])
        #expect(plan(session, DesiredMACSettings(rx1DROffset: RX1DROffset(rawValue: 2), rx2Frequency: Frequency(hertz: 869_100_000))) == [
            .rxParamSetupReq(rx1DROffset: RX1DROffset(rawValue: 2)!, rx2DataRate: .dr0, frequency: try Self.frequency(869_100_000)),
        ])
    }

    @Test("RX1 delay, duty cycle, channels and (1.1) rejoin limits each have their request, receive windows first")
    func everyCommand() throws {
        let session = try Fixture.session(keys: Fixture.currentKeys())
        let desired = DesiredMACSettings(
            rx1Delay: RXTimingDelay(rawValue: 3), maxDutyCycle: MaxDutyCycle(rawValue: 4),
            channels: [RegionalChannel(index: 3, frequency: Frequency(hertz: 867_100_000), dataRates: .dr0 ... .dr5)],
            rejoin: DesiredRejoinParameters(maxTimeN: RejoinMaxTimeN(rawValue: 10)!, maxCountN: RejoinMaxCountN(rawValue: 4)!))
        let changes = MACSettingsPlanner.changes(session: session, desired: desired)
        #expect(changes.map(\.request) == [
            .rxTimingSetupReq(delay: RXTimingDelay(rawValue: 3)!),
            .dutyCycleReq(maxDutyCycle: MaxDutyCycle(rawValue: 4)!),
            .newChannelReq(chIndex: 3, frequency: try Self.frequency(867_100_000), drRange: DataRateRange(minDR: .dr0, maxDR: .dr5)),
            .rejoinParamSetupReq(maxTimeN: RejoinMaxTimeN(rawValue: 10)!, maxCountN: RejoinMaxCountN(rawValue: 4)!),
        ])
        #expect(changes.allSatisfy { $0.state == .queued })
        // 2 + 2 + 6 + 2 bytes: all of it fits FOpts.
        #expect(plan(session, desired) == changes.map(\.request))
    }

    @Test("a device that already has what is wished gets nothing; nor does one without wishes")
    func inStep() throws {
        var settings = MACSettings.defaults(for: .eu868)
        settings.rx2DataRate = .dr3
        settings.rx1Delay = RXTimingDelay(truncatingIfNeeded: 2)
        let session = try Fixture.session(macSettings: settings)
        #expect(plan(session, DesiredMACSettings(rx2DataRate: .dr3, rx2Frequency: Self.eu868RX2, rx1Delay: RXTimingDelay(rawValue: 2))).isEmpty)
        #expect(plan(session, DesiredMACSettings()).isEmpty)
        // The defaults are channels 0-2: wishing for them as they are changes nothing.
        #expect(MACSettingsPlanner.changes(session: session, desired: DesiredMACSettings(channels: [settings.uplinkChannels[0]])).isEmpty)
    }

    // MARK: Validation

    @Test("values the region does not allow are refused when set, naming the field")
    func validation() {
        func problem(_ desired: DesiredMACSettings, region: Region? = .eu868, version: MACVersion = .v1_0_3) -> DesiredMACSettingsField? {
            do {
                try desired.validate(region: region, macVersion: version)
                return nil
            } catch {
                return error.field
            }
        }
        #expect(problem(DesiredMACSettings(rx2Frequency: Frequency(hertz: 915_000_000))) == .rx2Frequency)
        #expect(problem(DesiredMACSettings(rx2Frequency: Frequency(hertz: 869_525_050))) == .rx2Frequency, "not a multiple of 100 Hz")
        #expect(problem(DesiredMACSettings(rx2DataRate: .dr8)) == .rx2DataRate, "EU868 DR8 is LR-FHSS, uplink only")
        #expect(problem(DesiredMACSettings(rx1DROffset: RX1DROffset(rawValue: 6))) == .rx1DROffset, "EU868 allows 0-5")
        #expect(problem(DesiredMACSettings(rx1DROffset: RX1DROffset(rawValue: 6)), region: .as923_1) == nil, "AS923 allows 0-7")
        #expect(problem(DesiredMACSettings(rx1Delay: RXTimingDelay(rawValue: 0))) == .rx1Delay)
        let channel = RegionalChannel(index: 3, frequency: Frequency(hertz: 867_100_000), dataRates: .dr0 ... .dr5)
        #expect(problem(DesiredMACSettings(channels: [channel])) == nil)
        #expect(problem(DesiredMACSettings(channels: [channel]), region: .us915) == .channelIndex(position: 0), "fixed plans define no channels")
        #expect(problem(DesiredMACSettings(channels: [RegionalChannel(index: 1, frequency: channel.frequency, dataRates: .dr0 ... .dr5)]))
            == .channelIndex(position: 0), "the defaults cannot be changed")
        #expect(problem(DesiredMACSettings(channels: [channel, RegionalChannel(index: 16, frequency: channel.frequency, dataRates: .dr0 ... .dr5)]))
            == .channelIndex(position: 1), "EU868 has 16 channels at most")
        #expect(problem(DesiredMACSettings(channels: [channel, channel])) == .channelIndex(position: 1))
        #expect(problem(DesiredMACSettings(channels: [RegionalChannel(index: 4, frequency: Frequency(hertz: 880_000_000), dataRates: .dr0 ... .dr5)]))
            == .channelFrequency(position: 0))
        #expect(problem(DesiredMACSettings(channels: [RegionalChannel(index: 4, frequency: channel.frequency, dataRates: .dr0 ... .dr12)]))
            == .channelMaxDataRate(position: 0))
        let rejoin = DesiredMACSettings(rejoin: DesiredRejoinParameters(maxTimeN: RejoinMaxTimeN(rawValue: 1)!, maxCountN: RejoinMaxCountN(rawValue: 1)!))
        #expect(problem(rejoin) == .rejoin, "RejoinParamSetupReq is 1.1 only")
        #expect(problem(rejoin, version: .v1_1) == nil)
        #expect(problem(DesiredMACSettings(rx2DataRate: .dr3), region: nil) == .rx2DataRate, "the region is not known before the join")
        #expect(problem(DesiredMACSettings(maxDutyCycle: MaxDutyCycle(rawValue: 3)), region: nil) == nil)
    }

    @Test("a wish the session's region does not allow is not sent, and says why")
    func notApplicable() throws {
        // Set before the join (no region), the device then joined in US915, whose band 869.525 MHz is not in.
        let session = try Fixture.session(region: .us915)
        let changes = MACSettingsPlanner.changes(session: session, desired: DesiredMACSettings(rx2Frequency: Self.eu868RX2))
        guard case .notApplicable(let reason) = try #require(changes.first).state else {
            Issue.record("expected not_applicable, got \(changes)")
            return
        }
        #expect(reason.contains("outside the US915 band"))
        #expect(plan(session, DesiredMACSettings(rx2Frequency: Self.eu868RX2)).isEmpty)
    }

    // MARK: No duplicates

    @Test("a setting whose request awaits its answer, or is already in the frame, is not asked twice")
    func noDuplicates() throws {
        var session = try Fixture.session()
        let desired = DesiredMACSettings(rx2DataRate: .dr3, maxDutyCycle: MaxDutyCycle(rawValue: 2))
        let requests = plan(session, desired)
        #expect(requests.count == 2)
        session.pendingMACRequests = [requests[0]]
        #expect(plan(session, desired) == [requests[1]])
        #expect(MACSettingsPlanner.changes(session: session, desired: desired).map(\.state) == [.awaitingAnswer, .queued])
        session.pendingMACRequests = []
        #expect(plan(session, desired, after: [requests[1]]) == [requests[0]])
    }

    // MARK: Refusals

    @Test("a refused request is remembered and not sent again; a new wish or setting the wishes again asks once more")
    func refusalStopsTheLoop() throws {
        var session = try Fixture.session()
        let desired = DesiredMACSettings(rx2DataRate: .dr3)
        let request = try #require(plan(session, desired).first)
        session.pendingMACRequests = [request]
        let refusal = UplinkMACCommand.rxParamSetupAns([.channelACK, .rx1DROffsetACK])
        let response = MACCommandResponder().respond(
            to: UplinkMACCommandBlock(commands: [refusal]), context: Fixture.context(), fCnt: 2, session: &session)
        #expect(response.notices == [.requestRejected(request, answer: refusal)])
        #expect(session.macSettings.rx2DataRate == .dr0)
        #expect(session.macReconciliation.rejection(of: request)?.answer == refusal)

        // The same wish on every later uplink: nothing is sent.
        #expect(plan(session, desired).isEmpty)
        #expect(MACSettingsPlanner.changes(session: session, desired: desired).map(\.state) == [.rejected(refusal)])
        // Another wish is another request.
        #expect(plan(session, DesiredMACSettings(rx2DataRate: .dr2)).count == 1)
        // The operator setting the wishes again forgets the refusal.
        var again = session
        again.macReconciliation.forgetRejections()
        #expect(plan(again, desired) == [request])

        // An accepted request of the same setting ends the refusal.
        session.pendingMACRequests = [.rxParamSetupReq(rx1DROffset: session.macSettings.rx1DROffset, rx2DataRate: .dr2, frequency: try Self.frequency(869_525_000))]
        _ = MACCommandResponder().respond(
            to: UplinkMACCommandBlock(commands: [.rxParamSetupAns(.all)]), context: Fixture.context(), fCnt: 3, session: &session)
        #expect(session.macSettings.rx2DataRate == .dr2)
        #expect(session.macReconciliation.rejections.isEmpty)
    }

    @Test("refused NewChannelReq and RejoinParamSetupReq are remembered per channel and setting; LinkADRReq refusals are ADR's")
    func refusalsByKind() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys())
        let channel = DownlinkMACCommand.newChannelReq(
            chIndex: 4, frequency: try Self.frequency(867_300_000), drRange: DataRateRange(minDR: .dr0, maxDR: .dr5))
        let rejoin = DownlinkMACCommand.rejoinParamSetupReq(maxTimeN: RejoinMaxTimeN(rawValue: 9)!, maxCountN: RejoinMaxCountN(rawValue: 3)!)
        let linkADR = DownlinkMACCommand.linkADRReq(
            dataRate: .dr5, txPower: TXPower(truncatingIfNeeded: 1), chMask: 0x7, chMaskCntl: ChannelMaskControl(truncatingIfNeeded: 0),
            nbTrans: NbTrans(truncatingIfNeeded: 1))
        session.pendingMACRequests = [linkADR, channel, rejoin]
        _ = MACCommandResponder().respond(
            to: UplinkMACCommandBlock(commands: [.linkADRAns([]), .newChannelAns([.dataRateRangeOK]), .rejoinParamSetupAns([])]),
            context: Fixture.context(), fCnt: 2, session: &session)
        #expect(session.macReconciliation.rejections.map(\.request) == [channel, rejoin])
        // MaxCountN is applied even when MaxTimeN is not (§5.14).
        #expect(session.macSettings.rejoinMaxCountN == RejoinMaxCountN(rawValue: 3))
    }

    // MARK: FOpts

    @Test("requests fill what FOpts leaves after the answers and ADR, in order; what does not fit waits")
    func fOptsLimit() throws {
        let session = try Fixture.session()
        let desired = DesiredMACSettings(
            rx2DataRate: .dr3, rx1Delay: RXTimingDelay(rawValue: 2), maxDutyCycle: MaxDutyCycle(rawValue: 1),
            channels: [
                RegionalChannel(index: 3, frequency: Frequency(hertz: 867_100_000), dataRates: .dr0 ... .dr5),
                RegionalChannel(index: 4, frequency: Frequency(hertz: 867_300_000), dataRates: .dr0 ... .dr5),
            ])
        // 2 + 5 + 2 + 6 = 15: the second channel (6 bytes more) waits.
        let all = plan(session, desired)
        #expect(all.map(\.cid) == [0x08, 0x05, 0x04, 0x07])
        #expect(MACCommandCodec.encode(all).count == 15)
        // After a 6-byte DeviceTimeAns and a 3-byte LinkCheckAns, 6 bytes are left: RX1 delay, then duty cycle fit, RXParamSetupReq does not.
        let answers: [DownlinkMACCommand] = [.deviceTimeAns(GPSEpochTime(seconds: 1)), .linkCheckAns(margin: 10, gwCnt: 1)]
        #expect(plan(session, desired, after: answers).map(\.cid) == [0x08, 0x04])
        // With a 5-byte LinkADRReq as well, 1 byte is left: nothing of the plan fits, a DevStatusReq would.
        let full = answers + [.linkADRReq(
            dataRate: .dr5, txPower: TXPower(truncatingIfNeeded: 1), chMask: 0x7, chMaskCntl: ChannelMaskControl(truncatingIfNeeded: 0),
            nbTrans: NbTrans(truncatingIfNeeded: 1))]
        #expect(plan(session, desired, after: full).isEmpty)
        #expect(MACSettingsPlanner.fitsFOpts(.devStatusReq, after: full))
        #expect(!MACSettingsPlanner.fitsFOpts(.devStatusReq, after: all))
    }

    @Test("NewChannelReq waits while a LinkADRReq is in the frame or pending: the masks would undo the new channel")
    func channelsWaitForLinkADR() throws {
        var session = try Fixture.session()
        let desired = DesiredMACSettings(channels: [RegionalChannel(index: 3, frequency: Frequency(hertz: 867_100_000), dataRates: .dr0 ... .dr5)])
        let linkADR = DownlinkMACCommand.linkADRReq(
            dataRate: .dr5, txPower: TXPower(truncatingIfNeeded: 1), chMask: 0x7, chMaskCntl: ChannelMaskControl(truncatingIfNeeded: 0),
            nbTrans: NbTrans(truncatingIfNeeded: 1))
        #expect(plan(session, desired, after: [linkADR]).isEmpty)
        session.pendingMACRequests = [linkADR]
        #expect(plan(session, desired).isEmpty)
        session.pendingMACRequests = []
        #expect(plan(session, desired).count == 1)
    }

    // MARK: ForceRejoinReq

    @Test("a queued ForceRejoinReq goes first, once, for 1.1 sessions only, and expects no answer")
    func forceRejoin() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys())
        let request = ForceRejoinRequest(
            rejoinType: .type2, dataRate: .dr3, maxRetries: ForceRejoinMaxRetries(rawValue: 2)!, period: ForceRejoinPeriod(rawValue: 1)!)
        session.macReconciliation.forceRejoin = request
        #expect(plan(session, DesiredMACSettings(rx2DataRate: .dr3)).first == request.command)
        #expect(!request.command.expectsAnswer)

        var frame = try DownlinkFrameBuilder.build(DownlinkFrameContent(macCommands: [.devStatusReq]), for: session, dataRate: .dr5)
        session.recordDownlinkSent(frame)
        #expect(session.macReconciliation.forceRejoin == request, "a frame without it leaves it queued")
        frame = try DownlinkFrameBuilder.build(DownlinkFrameContent(macCommands: plan(session, DesiredMACSettings())), for: session, dataRate: .dr5)
        session.recordDownlinkSent(frame)
        #expect(session.macReconciliation.forceRejoin == nil)
        #expect(plan(session, DesiredMACSettings()).isEmpty)

        var legacy = try Fixture.session()
        legacy.macReconciliation.forceRejoin = request
        #expect(plan(legacy, DesiredMACSettings()).isEmpty, "a 1.0 device does not know the command")
    }
}
