import LoRaWAN
import NetworkServer
import Testing

@Suite("ADR")
struct ADRAlgorithmTests {
    let adr = ADRAlgorithm()
    let eu868 = RegionalParameters.eu868

    func decide(snr: Double, dataRate: DataRateIndex, txPower: UInt8 = 0, max: DataRateIndex = .dr5) -> ADRAlgorithm.Decision? {
        adr.decide(maxSNR: snr, dataRate: dataRate, txPower: TXPower(rawValue: txPower)!, nbTrans: NbTrans(rawValue: 1)!,
                   maxDataRate: max, region: eu868)
    }

    @Test("with margin to spare the data rate steps up first, one step per 3 dB")
    func stepsUpDataRate() {
        // DR0 is SF12 (floor −20 dB): SNR −4 leaves 16 dB, minus 10 dB installation margin: 6 dB, two steps.
        #expect(decide(snr: -4, dataRate: .dr0) == .init(dataRate: .dr2, txPower: TXPower(rawValue: 0)!, nbTrans: NbTrans(rawValue: 1)!))
    }

    @Test("at the highest data rate the remaining steps lower the TX power, down to the region's minimum")
    func thenPower() {
        // DR5 (SF7, floor −7.5 dB), SNR 11.5: 9 dB over the margin, three steps, all on power.
        #expect(decide(snr: 11.5, dataRate: .dr5)?.txPower == TXPower(rawValue: 3))
        // DR4 → DR5 takes one step, power the other two.
        #expect(decide(snr: 11.5 - 2.5, dataRate: .dr4) == .init(dataRate: .dr5, txPower: TXPower(rawValue: 2)!, nbTrans: NbTrans(rawValue: 1)!))
        // EU868 has TXPower 0-7: a huge margin stops there.
        #expect(decide(snr: 60, dataRate: .dr5, txPower: 6)?.txPower == TXPower(rawValue: 7))
        #expect(decide(snr: 60, dataRate: .dr5, txPower: 7) == nil)
    }

    @Test("without enough margin the TX power goes back up, the data rate stays")
    func negativeMargin() {
        // DR5, SNR −3.5: −6 dB, two steps down: power index 5 → 3.
        #expect(decide(snr: -3.5, dataRate: .dr5, txPower: 5) == .init(dataRate: .dr5, txPower: TXPower(rawValue: 3)!, nbTrans: NbTrans(rawValue: 1)!))
        #expect(decide(snr: -30, dataRate: .dr5, txPower: 1)?.txPower == TXPower(rawValue: 0))
        #expect(decide(snr: -30, dataRate: .dr3, txPower: 0) == nil, "already at maximum power")
        // Less than one step either way changes nothing (truncated toward zero).
        #expect(decide(snr: 4.4, dataRate: .dr5, txPower: 2) == nil)
        #expect(decide(snr: 0.6, dataRate: .dr5, txPower: 2) == nil)
    }

    @Test("the data rate never passes the highest the channels or the operator allow")
    func ceiling() {
        #expect(decide(snr: 20, dataRate: .dr2, max: .dr3)?.dataRate == .dr3)
        let capped = ADRAlgorithm(configuration: .init(maxDataRate: .dr4))
        #expect(capped.decide(maxSNR: 20, dataRate: .dr2, txPower: TXPower(rawValue: 0)!, nbTrans: NbTrans(rawValue: 1)!,
                              maxDataRate: .dr5, region: eu868)?.dataRate == .dr4)
    }

    @Test("FSK data rates are left alone")
    func fsk() {
        #expect(decide(snr: 30, dataRate: .dr7, max: .dr7) == nil)
    }

    @Test("the highest data rate is the lowest channel maximum of the enabled LoRa channels")
    func maxDataRate() throws {
        #expect(ADRAlgorithm.maxDataRate(of: MACSettings.defaults(for: .eu868), region: eu868) == .dr5)
        var us = MACSettings.defaults(for: .us915)
        us.enabledUplinkChannels = Set(8...15).union([65])
        #expect(ADRAlgorithm.maxDataRate(of: us, region: .us915) == .dr3)
        us.enabledUplinkChannels = [65]
        #expect(ADRAlgorithm.maxDataRate(of: us, region: .us915) == .dr4, "LR-FHSS DR5-6 are not LoRa")
        us.enabledUplinkChannels = []
        #expect(ADRAlgorithm.maxDataRate(of: us, region: .us915) == nil)
    }

    @Test("a session is adapted only with ADR on, a full history and no LinkADRReq pending")
    func sessionGate() throws {
        var session = try Fixture.session()
        for fCnt in 0..<19 {
            session.recordAcceptedUplink(fCnt: UInt32(fCnt), confirmed: false, adr: true, context: Fixture.context(dataRate: .dr0, snr: 5))
        }
        #expect(adr.decide(for: session) == nil, "19 uplinks are not enough")
        session.recordAcceptedUplink(fCnt: 19, confirmed: false, adr: true, context: Fixture.context(dataRate: .dr0, snr: 5))
        let decision = try #require(adr.decide(for: session))
        #expect(decision.dataRate == .dr5)
        #expect(adr.linkADRRequests(for: session).count == 1)
        var off = session
        off.adrEnabled = false
        #expect(adr.linkADRRequests(for: off).isEmpty)
        #expect(adr.decide(for: off) == nil)
        var waiting = session
        waiting.pendingMACRequests = ADRAlgorithm.linkADRRequests(for: decision, settings: session.macSettings, region: eu868)
        #expect(adr.decide(for: waiting) == nil)
    }

    @Test("the LinkADRReq keeps the enabled channels and carries the decision")
    func request() throws {
        let settings = try Fixture.eu868WithCFList()
        let decision = ADRAlgorithm.Decision(dataRate: .dr4, txPower: TXPower(rawValue: 1)!, nbTrans: NbTrans(rawValue: 1)!)
        #expect(ADRAlgorithm.linkADRRequests(for: decision, settings: settings, region: eu868) == [
            .linkADRReq(dataRate: .dr4, txPower: TXPower(rawValue: 1)!, chMask: 0x00FF, chMaskCntl: ChannelMaskControl(rawValue: 0)!,
                        nbTrans: NbTrans(rawValue: 1)!)
        ])
    }

    @Test("a device that changes data rate on its own restarts the history")
    func historyFollowsDataRate() throws {
        var session = try Fixture.session()
        session.recordAcceptedUplink(fCnt: 1, confirmed: false, adr: true, context: Fixture.context(dataRate: .dr5, snr: 5))
        session.recordAcceptedUplink(fCnt: 2, confirmed: false, adr: true, context: Fixture.context(dataRate: .dr5, snr: 6))
        #expect(session.adrHistory.count == 2)
        session.recordAcceptedUplink(fCnt: 3, confirmed: false, adr: true, context: Fixture.context(dataRate: .dr4, snr: 1))
        #expect(session.adrHistory.entries.map(\.fCnt) == [3])
        #expect(session.macSettings.dataRate == .dr4)
        var history = UplinkSignalHistory(capacity: 2)
        for i in 0..<5 { history.record(.init(fCnt: UInt32(i), maxSNR: Double(i), gatewayCount: 1)) }
        #expect(history.entries.map(\.fCnt) == [3, 4])
        #expect(history.maxSNR == 4)
    }
}

@Suite("LinkADRReq channel masks")
struct LinkADRChannelMaskTests {
    @Test("a dynamic plan uses one ChMaskCntl 0 mask")
    func dynamic() {
        #expect(LinkADRChannelMask.masks(enabling: [0, 1, 2, 5], region: .eu868)
            == [LinkADRChannelMask(chMaskCntl: ChannelMaskControl(rawValue: 0)!, chMask: 0b10_0111)])
    }

    @Test("a US915 sub-band costs two commands: all 125 kHz off with the 500 kHz mask, then its block")
    func subBand() {
        let masks = LinkADRChannelMask.masks(enabling: Set(8...15).union([65]), region: .us915)
        #expect(masks == [LinkADRChannelMask(chMaskCntl: ChannelMaskControl(rawValue: 7)!, chMask: 0x0002),
                          LinkADRChannelMask(chMaskCntl: ChannelMaskControl(rawValue: 0)!, chMask: 0xFF00)])
    }

    @Test("almost everything on is cheaper from ChMaskCntl 6")
    func mostlyOn() {
        let enabled = Set(0..<72).subtracting([20])
        let masks = LinkADRChannelMask.masks(enabling: enabled, region: .us915)
        #expect(masks == [LinkADRChannelMask(chMaskCntl: ChannelMaskControl(rawValue: 6)!, chMask: 0x00FF),
                          LinkADRChannelMask(chMaskCntl: ChannelMaskControl(rawValue: 1)!, chMask: 0xFFEF)])
    }

    @Test("applying the masks gives back exactly the channels they were built from", arguments: [
        Set(8...15).union([65]), Set(0..<72), Set<Int>(), Set(0...63), Set([1, 17, 33, 49, 64, 71]), Set(0..<72).subtracting([20, 66]),
    ])
    func roundTrip(enabled: Set<Int>) {
        let all = Set(0..<72)
        let masks = LinkADRChannelMask.masks(enabling: enabled, region: .us915)
        #expect(LinkADRChannelMask.apply(masks, to: all, defined: all, region: .us915) == enabled)
        #expect(LinkADRChannelMask.apply(masks, to: [], defined: all, region: .us915) == enabled)
    }

    @Test("ChMaskCntl values the region does not define make the block unusable; 6 turns every defined channel on in EU868")
    func scopes() {
        let defined: Set<Int> = [0, 1, 2, 3]
        let rfu = LinkADRChannelMask(chMaskCntl: ChannelMaskControl(rawValue: 3)!, chMask: 0)
        #expect(LinkADRChannelMask.apply([rfu], to: [0], defined: defined, region: .eu868) == nil)
        let allOn = LinkADRChannelMask(chMaskCntl: ChannelMaskControl(rawValue: 6)!, chMask: 0)
        #expect(LinkADRChannelMask.apply([allOn], to: [0], defined: defined, region: .eu868) == defined)
        let banks = LinkADRChannelMask(chMaskCntl: ChannelMaskControl(rawValue: 5)!, chMask: 0b10)
        #expect(LinkADRChannelMask.apply([banks], to: [], defined: Set(0..<72), region: .us915) == Set(8...15).union([65]))
    }
}
