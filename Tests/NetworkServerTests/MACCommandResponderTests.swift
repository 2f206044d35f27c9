import Foundation
import LoRaWAN
import NetworkServer
import Testing

@Suite("MAC command responder")
struct MACCommandResponderTests {
    let responder = MACCommandResponder()

    func respond(_ commands: [UplinkMACCommand], _ session: inout NetworkSession,
                 context: UplinkRadioContext = Fixture.context()) -> MACCommandResponse {
        responder.respond(to: UplinkMACCommandBlock(commands: commands), context: context, fCnt: 42, session: &session)
    }

    // MARK: Device requests

    @Test("LinkCheckReq is answered with the margin above the spreading factor's floor and the gateway count")
    func linkCheck() throws {
        var session = try Fixture.session()
        // DR5 is SF7 in EU868: floor −7.5 dB, so 7 dB SNR is 14.5 dB above it.
        #expect(respond([.linkCheckReq], &session, context: Fixture.context(dataRate: .dr5, gateways: 3, snr: 7)).answers
            == [.linkCheckAns(margin: 14, gwCnt: 3)])
        // DR0 is SF12: floor −20 dB.
        #expect(respond([.linkCheckReq], &session, context: Fixture.context(dataRate: .dr0, gateways: 1, snr: -10)).answers
            == [.linkCheckAns(margin: 10, gwCnt: 1)])
        #expect(respond([.linkCheckReq], &session, context: Fixture.context(gateways: 400, snr: -30)).answers
            == [.linkCheckAns(margin: 0, gwCnt: 255)])
        #expect(respond([.linkCheckReq], &session, context: Fixture.context(snr: 400)).answers
            == [.linkCheckAns(margin: 254, gwCnt: 1)], "255 is RFU")
    }

    @Test("DeviceTimeReq is answered with the GPS time of the uplink, and ignored when it is unknown")
    func deviceTime() throws {
        var session = try Fixture.session()
        let time: Duration = .seconds(1_400_000_000) + .milliseconds(500)
        #expect(respond([.deviceTimeReq], &session, context: Fixture.context(gpsTime: time)).answers
            == [.deviceTimeAns(GPSEpochTime(seconds: 1_400_000_000, fractionalSecond: 128))])
        let unknown = respond([.deviceTimeReq], &session, context: Fixture.context(gpsTime: nil))
        #expect(unknown.answers.isEmpty)
        #expect(unknown.notices == [.ignored(.deviceTimeReq, reason: "the time of the uplink is unknown")])
    }

    @Test("GPS time runs 18 leap seconds ahead of UTC from 1980-01-06")
    func gpsTime() {
        // 2020-01-01T00:00:00Z is GPS second 1261872018.
        #expect(GPSTime.sinceEpoch(utc: Date(timeIntervalSince1970: 1_577_836_800)) == .seconds(1_261_872_018))
        #expect(GPSTime.sinceEpoch(utc: Date(timeIntervalSince1970: 1_577_836_800.25)) == .seconds(1_261_872_018) + .milliseconds(250))
        #expect(GPSTime.sinceEpoch(gatewayMicroseconds: 0) == nil)
        #expect(GPSTime.sinceEpoch(gatewayMicroseconds: 1_500_000) == .milliseconds(1_500))
    }

    @Test("answers keep the order of the requests")
    func order() throws {
        var session = try Fixture.session()
        let answers = respond([.deviceTimeReq, .linkCheckReq], &session,
                              context: Fixture.context(snr: 0, gpsTime: .seconds(10))).answers
        #expect(answers == [.deviceTimeAns(GPSEpochTime(seconds: 10)), .linkCheckAns(margin: 7, gwCnt: 1)])
    }

    @Test("DeviceModeInd is confirmed and the class stored; PingSlotInfoReq is answered")
    func deviceModeAndPingSlot() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys())
        let response = respond([.deviceModeInd(.classC), .pingSlotInfoReq(periodicity: PingSlotPeriodicity(rawValue: 3)!)], &session)
        #expect(response.answers == [.deviceModeConf(.classC), .pingSlotInfoAns])
        #expect(session.macSettings.deviceClass == .classC)
        #expect(session.macSettings.pingSlotPeriodicity == PingSlotPeriodicity(rawValue: 3))
    }

    // MARK: 1.1 security context

    @Test("RekeyInd of a 1.1 OTAA device is confirmed with the network's minor version")
    func rekey() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys())
        let response = respond([.rekeyInd(minor: .lorawan1_1)], &session)
        #expect(response.answers == [.rekeyConf(minor: .lorawan1_1)])
        #expect(response.notices == [.rekeyIndicated(minor: .lorawan1_1)])
        var abp = try Fixture.session(keys: Fixture.currentKeys(), activation: .abp)
        #expect(respond([.rekeyInd(minor: .lorawan1_1)], &abp).answers.isEmpty)
    }

    @Test("ResetInd of a 1.1 ABP device restores its provisioned settings, keeps its counters, and is confirmed")
    func reset() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys(), activation: .abp, fCntUp: 77)
        session.macSettings.rx1Delay = RXTimingDelay(rawValue: 5)!
        session.macSettings.dataRate = .dr3
        session.pendingMACRequests = [.devStatusReq]
        session.adrHistory.record(.init(fCnt: 76, maxSNR: 3, gatewayCount: 1))
        let response = respond([.resetInd(minor: .lorawan1_1)], &session)
        #expect(response.answers == [.resetConf(minor: .lorawan1_1)])
        #expect(session.macSettings == session.provisionedMACSettings)
        #expect(session.fCntUp == 77)
        #expect(session.pendingMACRequests.isEmpty)
        #expect(session.adrHistory.count == 0)
        #expect(response.notices == [.requestUnanswered(.devStatusReq), .resetIndicated(minor: .lorawan1_1)])
        var otaa = try Fixture.session(keys: Fixture.currentKeys())
        otaa.macSettings.dataRate = .dr3
        #expect(respond([.resetInd(minor: .lorawan1_1)], &otaa).answers.isEmpty, "ResetInd is for ABP")
        #expect(otaa.macSettings.dataRate == .dr3)
    }

    // MARK: Answers to the network's requests

    @Test("DevStatusAns is stored with the uplink's counter")
    func devStatus() throws {
        var session = try Fixture.session()
        session.pendingMACRequests = [.devStatusReq]
        let margin = try #require(DevStatusMargin(decibels: -3))
        let response = respond([.devStatusAns(battery: DevStatusBattery(rawValue: 200), margin: margin)], &session)
        let status = DeviceStatus(battery: DevStatusBattery(rawValue: 200), margin: margin, fCnt: 42)
        #expect(session.deviceStatus == status)
        #expect(response.notices == [.deviceStatus(status)])
        #expect(session.pendingMACRequests.isEmpty)
        let unsolicited = respond([.devStatusAns(battery: .externalPower, margin: margin)], &session)
        #expect(unsolicited.notices == [.unsolicitedAnswer(.devStatusAns(battery: .externalPower, margin: margin))])
        #expect(session.deviceStatus == status)
    }

    @Test("an accepted LinkADRReq block sets data rate, power, repetitions and channels; the ADR history restarts")
    func linkADRAccepted() throws {
        var session = try Fixture.session(macSettings: try Fixture.eu868WithCFList())
        session.adrHistory.record(.init(fCnt: 41, maxSNR: 10, gatewayCount: 1))
        let request = DownlinkMACCommand.linkADRReq(dataRate: .dr5, txPower: TXPower(rawValue: 2)!, chMask: 0x0007,
                                                    chMaskCntl: ChannelMaskControl(rawValue: 0)!, nbTrans: NbTrans(rawValue: 2)!)
        session.pendingMACRequests = [request]
        let response = respond([.linkADRAns(.all)], &session)
        #expect(response.notices == [.requestAccepted(request)])
        #expect(session.macSettings.dataRate == .dr5)
        #expect(session.macSettings.txPower == TXPower(rawValue: 2))
        #expect(session.macSettings.nbTrans == NbTrans(rawValue: 2))
        #expect(session.macSettings.enabledUplinkChannels == [0, 1, 2])
        #expect(session.adrHistory.count == 0)
        #expect(session.pendingMACRequests.isEmpty)
    }

    @Test("a LinkADRReq block is applied only when every answer accepts it; DR and power 15 keep the current value")
    func linkADRBlock() throws {
        var session = try Fixture.session(region: .us915)
        session.macSettings.dataRate = .dr1
        let block = ADRAlgorithm.linkADRRequests(
            for: .init(dataRate: .dr15, txPower: .keepCurrent, nbTrans: NbTrans(rawValue: 1)!),
            settings: { var s = session.macSettings; s.enabledUplinkChannels = Set(8...15).union([65]); return s }(),
            region: .us915)
        #expect(block.count == 2)
        var refused = session
        refused.pendingMACRequests = block
        let status: LinkADRAnswerStatus = [.powerACK, .dataRateACK]
        let refusal = respond([.linkADRAns(.all), .linkADRAns(status)], &refused)
        #expect(refusal.notices == block.map { .requestRejected($0, answer: .linkADRAns(status)) })
        #expect(refused.macSettings == session.macSettings)
        session.pendingMACRequests = block
        _ = respond([.linkADRAns(.all), .linkADRAns(.all)], &session)
        #expect(session.macSettings.enabledUplinkChannels == Set(8...15).union([65]))
        #expect(session.macSettings.dataRate == .dr1)
        #expect(session.macSettings.txPower == TXPower(rawValue: 0))
    }

    @Test("RXParamSetupAns applies the request only if all three parts were accepted")
    func rxParamSetup() throws {
        var session = try Fixture.session()
        let request = DownlinkMACCommand.rxParamSetupReq(
            rx1DROffset: RX1DROffset(rawValue: 2)!, rx2DataRate: .dr3, frequency: try ChannelFrequency(hertz: 869_525_000))
        session.pendingMACRequests = [request]
        let partial: RXParamSetupAnswerStatus = [.channelACK, .rx2DataRateACK]
        #expect(respond([.rxParamSetupAns(partial)], &session).notices == [.requestRejected(request, answer: .rxParamSetupAns(partial))])
        #expect(session.macSettings.rx2DataRate == .dr0)
        session.pendingMACRequests = [request]
        #expect(respond([.rxParamSetupAns(.all)], &session).notices == [.requestAccepted(request)])
        #expect(session.macSettings.rx1DROffset == RX1DROffset(rawValue: 2))
        #expect(session.macSettings.rx2DataRate == .dr3)
        // The device repeats the answer until it hears a downlink: a repeat settles nothing.
        #expect(respond([.rxParamSetupAns(.all)], &session).notices == [.unsolicitedAnswer(.rxParamSetupAns(.all))])
    }

    @Test("RXTimingSetupAns, DutyCycleAns, TxParamSetupAns and ADRParamSetupAns apply their request")
    func acknowledgements() throws {
        var session = try Fixture.session(region: .as923_1)
        session.pendingMACRequests = [
            .rxTimingSetupReq(delay: RXTimingDelay(rawValue: 3)!), .dutyCycleReq(maxDutyCycle: MaxDutyCycle(rawValue: 4)!),
            .txParamSetupReq(downlinkDwellTime: .limited400ms, uplinkDwellTime: .limited400ms, maxEIRP: MaxEIRP(rawValue: 5)!),
            .adrParamSetupReq(limitExp: ADRAckLimitExponent(rawValue: 6)!, delayExp: ADRAckDelayExponent(rawValue: 5)!),
        ]
        let response = respond([.rxTimingSetupAns, .dutyCycleAns, .txParamSetupAns, .adrParamSetupAns], &session)
        #expect(response.notices.count == 4)
        #expect(session.macSettings.rx1Delay == RXTimingDelay(rawValue: 3))
        #expect(session.macSettings.maxDutyCycle == MaxDutyCycle(rawValue: 4))
        #expect(session.macSettings.downlinkDwellTime == .limited400ms)
        #expect(session.macSettings.maxEIRP == MaxEIRP(rawValue: 5))
        #expect(session.macSettings.adrAckLimitExponent == ADRAckLimitExponent(rawValue: 6))
    }

    @Test("NewChannelAns defines and enables an accepted channel, deletes with frequency 0, drops a rejected one")
    func newChannel() throws {
        var session = try Fixture.session()
        let add = DownlinkMACCommand.newChannelReq(chIndex: 3, frequency: try ChannelFrequency(hertz: 867_100_000),
                                                   drRange: DataRateRange(minDR: .dr0, maxDR: .dr5))
        session.pendingMACRequests = [add]
        _ = respond([.newChannelAns(.all)], &session)
        #expect(session.macSettings.uplinkChannelIndex(for: Frequency(hertz: 867_100_000)) == 3)
        #expect(session.macSettings.enabledUplinkChannels.contains(3))
        let move = DownlinkMACCommand.newChannelReq(chIndex: 3, frequency: try ChannelFrequency(hertz: 867_300_000),
                                                    drRange: DataRateRange(minDR: .dr0, maxDR: .dr5))
        session.pendingMACRequests = [move]
        _ = respond([.newChannelAns(.channelFrequencyOK)], &session)
        #expect(session.macSettings.uplinkChannel(3)?.frequency == Frequency(hertz: 867_100_000), "rejected: unchanged")
        let delete = DownlinkMACCommand.newChannelReq(chIndex: 3, frequency: try ChannelFrequency(hertz: 0),
                                                      drRange: DataRateRange(minDR: .dr0, maxDR: .dr0))
        session.pendingMACRequests = [delete]
        _ = respond([.newChannelAns(.all)], &session)
        #expect(session.macSettings.uplinkChannel(3) == nil)
        #expect(!session.macSettings.enabledUplinkChannels.contains(3))
    }

    @Test("DlChannelAns moves RX1 of an uplink channel")
    func dlChannel() throws {
        var session = try Fixture.session()
        session.pendingMACRequests = [.dlChannelReq(chIndex: 1, frequency: try ChannelFrequency(hertz: 869_100_000))]
        _ = respond([.dlChannelAns(.all)], &session)
        #expect(session.macSettings.downlinkFrequencies == [1: Frequency(hertz: 869_100_000)])
    }

    @Test("RejoinParamSetupAns always applies MaxCountN, MaxTimeN only with TimeOK")
    func rejoinParamSetup() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys())
        let request = DownlinkMACCommand.rejoinParamSetupReq(maxTimeN: RejoinMaxTimeN(rawValue: 4)!, maxCountN: RejoinMaxCountN(rawValue: 2)!)
        session.pendingMACRequests = [request]
        _ = respond([.rejoinParamSetupAns([])], &session)
        #expect(session.macSettings.rejoinMaxCountN == RejoinMaxCountN(rawValue: 2))
        #expect(session.macSettings.rejoinMaxTimeN == nil)
        session.pendingMACRequests = [request]
        #expect(respond([.rejoinParamSetupAns(.timeOK)], &session).notices == [.requestAccepted(request)])
        #expect(session.macSettings.rejoinMaxTimeN == RejoinMaxTimeN(rawValue: 4))
    }

    @Test("requests left unanswered are dropped and reported, so they can be sent again")
    func unanswered() throws {
        var session = try Fixture.session()
        session.pendingMACRequests = [.devStatusReq, .rxTimingSetupReq(delay: RXTimingDelay(rawValue: 2)!)]
        let response = respond([.linkCheckReq], &session)
        #expect(response.notices == [.requestUnanswered(.devStatusReq), .requestUnanswered(.rxTimingSetupReq(delay: RXTimingDelay(rawValue: 2)!))])
        #expect(session.pendingMACRequests.isEmpty)
        #expect(session.macSettings.rx1Delay == RXTimingDelay(rawValue: 1))
    }

    @Test("where parsing stopped is passed on, and the commands before it are still answered")
    func parseStop() throws {
        var session = try Fixture.session()
        let block = UplinkMACCommandReader.read([0x02, 0x06, 0xFF], macVersion: .v1_0_3)
        let response = responder.respond(to: block, context: Fixture.context(), fCnt: 1, session: &session)
        #expect(response.answers == [.linkCheckAns(margin: 14, gwCnt: 1)])
        #expect(response.parseStop?.offset == 1)
    }

    @Test("deprecated and proprietary commands are ignored with a reason")
    func ignoredCommands() throws {
        var session = try Fixture.session()
        let proprietary = UplinkMACCommand.proprietary(cid: ProprietaryCID(rawValue: 0x80)!, payload: [1])
        let response = respond([.beaconTimingReq, proprietary], &session)
        #expect(response.answers.isEmpty)
        #expect(response.notices.count == 2)
    }
}
