import BackendInterfaces
import LoRaWAN
import NetworkServer
import Testing

@Suite("Receive windows")
struct ReceiveWindowPlannerTests {
    typealias Window = GatewayDownlink.Window
    let frame = [UInt8](repeating: 0x60, count: 20)

    @Test("EU868 class A: RX1 on the uplink frequency at the offset data rate, RX2 from the session")
    func eu868() throws {
        var session = try Fixture.session()
        let uplink = Fixture.metadata(dataRate: .dr5, frequency: 868_300_000, xtime: 0x0001_0000_0000_1234)
        let downlink = try ReceiveWindowPlanner.classA(phyPayload: frame, session: session, answering: uplink, diid: 9)
        #expect(downlink.deviceClass == .a)
        #expect(downlink.rxDelay == 1)
        #expect(downlink.rx1 == Window(dataRate: .dr5, frequency: Frequency(hertz: 868_300_000)))
        #expect(downlink.rx2 == Window(dataRate: .dr0, frequency: Frequency(hertz: 869_525_000)))
        #expect(downlink.uplinkXTime == uplink.xtime)
        #expect(downlink.devEUI == session.devEUI)
        #expect(downlink.diid == 9)
        session.macSettings.rx1DROffset = RX1DROffset(rawValue: 2)!
        session.macSettings.rx1Delay = RXTimingDelay(rawValue: 5)!
        session.macSettings.rx2DataRate = .dr3
        let windows = try ReceiveWindowPlanner.windows(for: session, uplink: uplink)
        #expect(windows == .init(rx1: Window(dataRate: .dr3, frequency: Frequency(hertz: 868_300_000)),
                                 rx2: Window(dataRate: .dr3, frequency: Frequency(hertz: 869_525_000)), rxDelay: 5))
    }

    @Test("RXTimingSetup's Del 0 means one second")
    func delayZero() throws {
        var session = try Fixture.session()
        session.macSettings.rx1Delay = RXTimingDelay(rawValue: 0)!
        #expect(try ReceiveWindowPlanner.windows(for: session, uplink: Fixture.metadata()).rxDelay == 1)
    }

    @Test("US915 class A: RX1 on downlink channel (uplink channel mod 8) at the 500 kHz rate")
    func us915() throws {
        let session = try Fixture.session(region: .us915)
        // Channel 13 is 902.3 + 13 × 0.2 = 904.9 MHz; 13 mod 8 = 5: 923.3 + 5 × 0.6 = 926.3 MHz.
        let windows = try ReceiveWindowPlanner.windows(for: session, uplink: Fixture.metadata(dataRate: .dr3, frequency: 904_900_000))
        #expect(windows.rx1 == Window(dataRate: .dr13, frequency: Frequency(hertz: 926_300_000)))
        #expect(windows.rx2 == Window(dataRate: .dr8, frequency: Frequency(hertz: 923_300_000)))
        #expect(throws: DownlinkFrameError.self) {
            try ReceiveWindowPlanner.windows(for: session, uplink: Fixture.metadata(dataRate: .dr3, frequency: 904_950_000))
        }
    }

    @Test("DlChannelReq moves RX1 of its channel")
    func movedRX1() throws {
        var session = try Fixture.session()
        session.macSettings.downlinkFrequencies[1] = Frequency(hertz: 869_100_000)
        #expect(try ReceiveWindowPlanner.windows(for: session, uplink: Fixture.metadata(frequency: 868_300_000)).rx1.frequency
            == Frequency(hertz: 869_100_000))
        #expect(try ReceiveWindowPlanner.windows(for: session, uplink: Fixture.metadata(frequency: 868_100_000)).rx1.frequency
            == Frequency(hertz: 868_100_000))
    }

    @Test("a frame too long for RX2 goes in RX1 only; too long for both is refused")
    func lengthPerWindow() throws {
        let session = try Fixture.session()
        let long = [UInt8](repeating: 0x60, count: 100)  // MACPayload 95: DR5 carries 250, DR0 59
        let downlink = try ReceiveWindowPlanner.classA(phyPayload: long, session: session,
                                                       answering: Fixture.metadata(dataRate: .dr5), diid: 1)
        #expect(downlink.rx1 != nil)
        #expect(downlink.rx2 == nil)
        #expect(throws: DownlinkFrameError.tooLongForDataRate(.dr0, maximumMACPayload: 59, actualMACPayload: 95)) {
            try ReceiveWindowPlanner.classA(phyPayload: long, session: session, answering: Fixture.metadata(dataRate: .dr0), diid: 1)
        }
        #expect(throws: DownlinkFrameError.tooLongForDataRate(.dr0, maximumMACPayload: 59, actualMACPayload: 95)) {
            try ReceiveWindowPlanner.classC(phyPayload: long, session: session, diid: 1)
        }
    }

    @Test("class C goes out in RX2 as soon as possible")
    func classC() throws {
        let session = try Fixture.session()
        let downlink = try ReceiveWindowPlanner.classC(phyPayload: frame, session: session, diid: 3)
        #expect(downlink.deviceClass == .c)
        #expect(downlink.rx1 == nil)
        #expect(downlink.rx2 == Window(dataRate: .dr0, frequency: Frequency(hertz: 869_525_000)))
        #expect(downlink.uplinkXTime == nil)
    }

    @Test("join-accepts use JOIN_ACCEPT_DELAY1 and the region's defaults")
    func joinAccept() throws {
        let accept = [UInt8](repeating: 0x20, count: 33)
        let uplink = Fixture.metadata(dataRate: .dr2, frequency: 868_500_000)
        let downlink = try ReceiveWindowPlanner.joinAccept(phyPayload: accept, devEUI: Fixture.devEUI, region: .eu868,
                                                           answering: uplink, diid: 4)
        #expect(downlink.rxDelay == 5)
        #expect(downlink.rx1 == Window(dataRate: .dr2, frequency: Frequency(hertz: 868_500_000)))
        #expect(downlink.rx2 == Window(dataRate: .dr0, frequency: Frequency(hertz: 869_525_000)))
        #expect(downlink.uplinkRCtx == uplink.rctx)
        let us = try ReceiveWindowPlanner.joinAccept(phyPayload: accept, devEUI: Fixture.devEUI, region: .us915,
                                                     answering: Fixture.metadata(dataRate: .dr0, frequency: 902_300_000), diid: 5)
        #expect(us.rx1 == Window(dataRate: .dr10, frequency: Frequency(hertz: 923_300_000)))
    }
}
