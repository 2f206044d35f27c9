import LoRaWAN
import Testing

@testable import StationSimulator

@Suite("Virtual device: downlinks and MAC commands")
struct VirtualDeviceDownlinkTests {
    @Test("a 1.0 downlink sealed by the network decrypts to its payload and advances FCntDown")
    func legacyDownlink() throws {
        var device = try NetworkSide.joined(.v1_0_3)
        let session = try #require(device.session)
        let received = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 0, fPort: 5, payload: [0xDE, 0xAD]))
        #expect(received.counter == .fCntDown && received.fCnt == 0)
        #expect(received.fPort == 5 && received.payload == [0xDE, 0xAD])
        #expect(device.session?.nFCntDown == 0)
        // One counter for all ports in 1.0: a network frame must count above the application frame.
        let next = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 1, macCommands: [.dutyCycleReq(maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: 0))]))
        #expect(next.fCnt == 1 && next.answers == [.dutyCycleAns])
    }

    @Test("a replayed or older downlink counter is refused and changes nothing")
    func replayRefused() throws {
        var device = try NetworkSide.joined(.v1_0_4)
        let session = try #require(device.session)
        let frame = try NetworkSide.downlink(to: session, fCnt: 7, fPort: 1, payload: [1])
        _ = try device.receiveDownlink(frame)
        #expect(throws: VirtualDeviceError.downlinkCounterReplayed(devEUI: device.devEUI, counter: "FCntDown", received: 7, last: 7)) {
            try device.receiveDownlink(frame)
        }
        // 16 bits below the last accepted counter roll over into the next epoch, whose MIC no longer matches.
        let older = try NetworkSide.downlink(to: session, fCnt: 3, fPort: 1, payload: [1])
        #expect(throws: VirtualDeviceError.downlinkMICMismatch(devEUI: device.devEUI, devAddr: session.devAddr)) {
            try device.receiveDownlink(older)
        }
        #expect(device.session?.nFCntDown == 7)
    }

    @Test("a forged downlink (MIC under another key, or a flipped bit) is refused")
    func forgedDownlink() throws {
        for version in [MACVersion.v1_0_3, .v1_1] {
            var device = try NetworkSide.joined(version)
            let session = try #require(device.session)
            var tampered = try NetworkSide.downlink(to: session, fCnt: 0, fPort: 1, payload: [1, 2, 3])
            tampered[tampered.count - 6] ^= 0x01
            #expect(throws: VirtualDeviceError.downlinkMICMismatch(devEUI: device.devEUI, devAddr: session.devAddr)) {
                try device.receiveDownlink(tampered)
            }
            let otherKeys = NetworkSessionKeys.legacy(nwkSKey: NwkSKey(bytes: [UInt8](repeating: 9, count: 16))!)
            let frame = DataFrame(confirmed: false, devAddr: session.devAddr, fCtrl: .downlink(DownlinkFCtrl()), fCnt16: 0, fPort: 1, frmPayload: [1])
            let forged = try DataFrameCrypto.seal(frame, fCnt: 0, keys: otherKeys)
            #expect(throws: VirtualDeviceError.downlinkMICMismatch(devEUI: device.devEUI, devAddr: session.devAddr)) {
                try device.receiveDownlink(forged)
            }
            let elsewhere = DataFrame(confirmed: false, devAddr: DevAddr(0x0100_0001), fCtrl: .downlink(DownlinkFCtrl()), fCnt16: 0, fPort: 1)
            #expect(throws: VirtualDeviceError.downlinkForAnotherDevice(devEUI: device.devEUI, devAddr: DevAddr(0x0100_0001))) {
                try device.receiveDownlink(try DataFrameCrypto.seal(elsewhere, fCnt: 0, keys: otherKeys))
            }
            #expect(device.session == session, "\(version)")
        }
    }

    @Test("a 1.1 device keeps NFCntDown and AFCntDown apart and decrypts FOpts with NwkSEncKey")
    func currentCounters() throws {
        var device = try NetworkSide.joined(.v1_1)
        let session = try #require(device.session)
        let application = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 4, fPort: 3, payload: [7]))
        #expect(application.counter == .aFCntDown && application.payload == [7])
        let network = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 0, macCommands: [.rekeyConf(minor: .lorawan1_1)]))
        #expect(network.counter == .nFCntDown && network.macCommands == [.rekeyConf(minor: .lorawan1_1)])
        #expect(device.session?.aFCntDown == 4 && device.session?.nFCntDown == 0)
        // RekeyConf arrived: RekeyInd is no longer sent.
        let uplink = try device.makeUplink(fPort: 1, payload: [1])
        #expect(try DataFrame(decoding: uplink.phyPayload).fOpts.isEmpty)
    }

    @Test("MAC commands in an FPort 0 payload are decrypted with the network key and answered")
    func portZeroCommands() throws {
        var device = try NetworkSide.joined(.v1_1)
        let session = try #require(device.session)
        let received = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 0, fPort: 0, macCommands: [.devStatusReq]))
        #expect(received.macCommands == [.devStatusReq] && received.payload.isEmpty)
        guard case .devStatusAns(let battery, let margin)? = received.answers.first else {
            Issue.record("expected DevStatusAns")
            return
        }
        #expect(battery.rawValue == 254 && margin.decibels == 10)
    }

    @Test("a confirmed downlink is acknowledged by the next uplink, with ConfFCnt in the 1.1 MIC")
    func confirmedDownlinkAcknowledged() throws {
        var device = try NetworkSide.joined(.v1_1)
        let session = try #require(device.session)
        _ = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 9, fPort: 1, payload: [1], confirmed: true))
        let uplink = try device.makeUplink(fPort: 1, payload: [2])
        #expect(try DataFrame(decoding: uplink.phyPayload).fCtrl.ack)
        let parameters = MICParameters(confFCnt: 9, txDR: uplink.dataRate.rawValue, txCh: UInt8(uplink.channelIndex))
        #expect(try DataFrameCrypto.verifyMIC(frame: uplink.phyPayload, fCnt: 0, keys: session.networkKeys, micParameters: parameters))
        let next = try device.makeUplink(fPort: 1, payload: [3])
        #expect(try !DataFrame(decoding: next.phyPayload).fCtrl.ack)
    }

    @Test("a downlink's ACK names the confirmed uplink it acknowledges; in 1.1 its MIC binds that counter")
    func acknowledgementOfConfirmedUplink() throws {
        for version in [MACVersion.v1_0_3, .v1_1] {
            var device = try NetworkSide.joined(version)
            let session = try #require(device.session)
            _ = try device.makeUplink(fPort: 1, payload: [1])
            _ = try device.makeUplink(fPort: 1, payload: [1], confirmed: true)
            let ack = try NetworkSide.downlink(to: session, fCnt: 0, ack: true, confFCnt: 1)
            let received = try device.receiveDownlink(ack)
            #expect(received.ack && received.acknowledgedUplink == 1, "\(version)")
            #expect(device.session?.unacknowledgedConfirmedUplink == nil)
        }
        // 1.1: an ACK whose MIC uses another ConfFCnt does not verify.
        var device = try NetworkSide.joined(.v1_1)
        let session = try #require(device.session)
        _ = try device.makeUplink(fPort: 1, payload: [1], confirmed: true)
        #expect(throws: VirtualDeviceError.downlinkMICMismatch(devEUI: device.devEUI, devAddr: session.devAddr)) {
            try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 0, ack: true, confFCnt: 5))
        }
    }

    @Test("an ACK in the windows of an earlier confirmed uplink carries that uplink's ConfFCnt (1.1)")
    func acknowledgementOfEarlierUplink() throws {
        var device = try NetworkSide.joined(.v1_1)
        let session = try #require(device.session)
        _ = try device.makeUplink(fPort: 1, payload: [1], confirmed: true)
        _ = try device.makeUplink(fPort: 1, payload: [1], confirmed: true)
        let first = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 0, ack: true, confFCnt: 0), answering: 0)
        #expect(first.acknowledgedUplink == 0 && device.session?.confirmedUplinksAwaitingAck == [1])
        let second = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 1, ack: true, confFCnt: 1), answering: 1)
        #expect(second.acknowledgedUplink == 1 && device.session?.confirmedUplinksAwaitingAck == [])
    }

    @Test("LinkADRReq is applied as a block and answered once per request; the uplink carries the answers")
    func linkADR() throws {
        var device = try NetworkSide.joined(.v1_0_3)
        let session = try #require(device.session)
        let request = DownlinkMACCommand.linkADRReq(
            dataRate: .dr3, txPower: TXPower(truncatingIfNeeded: 2), chMask: 0x0003, chMaskCntl: ChannelMaskControl(truncatingIfNeeded: 0),
            nbTrans: NbTrans(truncatingIfNeeded: 1))
        let received = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 0, macCommands: [request, request]))
        #expect(received.answers == [.linkADRAns(.all), .linkADRAns(.all)])
        #expect(device.channels.dataRate == .dr3 && device.channels.enabled == [0, 1] && device.channels.txPower == 2)
        let uplink = try device.makeUplink(fPort: 1, payload: [1])
        #expect(uplink.dataRate == .dr3 && [0, 1].contains(uplink.channelIndex))
        #expect(try MACCommandCodec.decodeUplink(try DataFrame(decoding: uplink.phyPayload).fOpts) == [.linkADRAns(.all), .linkADRAns(.all)])
        // Sent once: the next uplink carries nothing.
        #expect(try DataFrame(decoding: try device.makeUplink(fPort: 1, payload: [1]).phyPayload).fOpts.isEmpty)
    }

    @Test("a LinkADRReq that would switch every channel off is refused whole")
    func linkADRRefused() throws {
        var device = try NetworkSide.joined(.v1_0_3)
        let session = try #require(device.session)
        let request = DownlinkMACCommand.linkADRReq(
            dataRate: .dr1, txPower: TXPower(truncatingIfNeeded: 0), chMask: 0x0000, chMaskCntl: ChannelMaskControl(truncatingIfNeeded: 0),
            nbTrans: NbTrans(truncatingIfNeeded: 1))
        let received = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 0, macCommands: [request]))
        guard case .linkADRAns(let status)? = received.answers.first else {
            Issue.record("expected LinkADRAns")
            return
        }
        #expect(!status.contains(.channelMaskACK) && !status.isAccepted)
        #expect(device.channels.dataRate == .dr5 && device.channels.enabled == [0, 1, 2])
    }

    @Test("RXTimingSetupAns and RXParamSetupAns repeat in every uplink until a downlink arrives")
    func stickyAnswers() throws {
        var device = try NetworkSide.joined(.v1_0_4)
        let session = try #require(device.session)
        let commands: [DownlinkMACCommand] = [
            .rxTimingSetupReq(delay: RXTimingDelay(truncatingIfNeeded: 3)),
            .rxParamSetupReq(rx1DROffset: RX1DROffset(truncatingIfNeeded: 1), rx2DataRate: .dr3, frequency: try ChannelFrequency(hertz: 869_525_000)),
        ]
        _ = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 0, macCommands: commands))
        #expect(device.session?.rxDelay == 3 && device.session?.rx2DataRate == .dr3 && device.session?.rx1DROffset == 1)
        let expected: [UplinkMACCommand] = [.rxTimingSetupAns, .rxParamSetupAns(.all)]
        for _ in 0..<2 {
            let uplink = try device.makeUplink(fPort: 1, payload: [])
            #expect(try MACCommandCodec.decodeUplink(try DataFrame(decoding: uplink.phyPayload).fOpts) == expected)
        }
        _ = try device.receiveDownlink(try NetworkSide.downlink(to: session, fCnt: 1, fPort: 1, payload: [1]))
        #expect(try DataFrame(decoding: try device.makeUplink(fPort: 1, payload: []).phyPayload).fOpts.isEmpty)
    }

    @Test("a 1.0 device stops reading at a command only LoRaWAN 1.1 defines")
    func legacyStopsAtUnknownCommand() throws {
        var device = try NetworkSide.joined(.v1_0_3)
        let session = try #require(device.session)
        let received = try device.receiveDownlink(try NetworkSide.downlink(
            to: session, fCnt: 0, macCommands: [.devStatusReq, .rekeyConf(minor: .lorawan1_1), .dutyCycleReq(maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: 1))]))
        #expect(received.macCommands == [.devStatusReq])
        #expect(received.macCommandError == .unknownMACCommand(cid: 0x0B, direction: "downlink"))
        #expect(received.answers.count == 1)
    }

    @Test("NewChannelReq defines a channel above the defaults and refuses to touch a default one")
    func newChannel() throws {
        var device = try NetworkSide.joined(.v1_0_3)
        let session = try #require(device.session)
        let frequency = try ChannelFrequency(hertz: 867_100_000)
        let range = DataRateRange(minDR: .dr0, maxDR: .dr5)
        let received = try device.receiveDownlink(try NetworkSide.downlink(
            to: session, fCnt: 0, macCommands: [.newChannelReq(chIndex: 3, frequency: frequency, drRange: range), .newChannelReq(chIndex: 0, frequency: frequency, drRange: range)]))
        #expect(received.answers == [.newChannelAns(.all), .newChannelAns([])])
        #expect(device.channels.channels.map(\.index) == [0, 1, 2, 3] && device.channels.enabled.contains(3))
    }
}
