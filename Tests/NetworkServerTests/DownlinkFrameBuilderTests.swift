import ReferenceVectors
import BackendInterfaces
import LoRaWAN
import NetworkServer
import Testing

@Suite("Downlink frame builder")
struct DownlinkFrameBuilderTests {
    /// Builds a data_frame.json downlink through the builder: the session holds the network keys and
    /// the counter, the content holds the clear MAC commands and the application payload as the
    /// Application Server hands it over, already encrypted.
    static func build(_ vector: VectorFile.Vector) throws -> [UInt8] {
        let fCnt = UInt32(try vector.int("fcnt"))
        let devAddr = try vector.devAddr()
        let keys: NetworkSessionKeys
        let counters: DownlinkFrameCounters
        if try vector.string("version") == "1.0" {
            keys = .legacy(nwkSKey: try vector.key("nwk_s_key"))
            counters = .shared(fCntDown: fCnt)
        } else {
            let variant = try #require(FOptsEncryptionVariant(rawValue: try vector.string("fopts_variant")))
            keys = .current(fNwkSIntKey: try vector.key("f_nwk_s_int_key"), sNwkSIntKey: try vector.key("s_nwk_s_int_key"),
                            nwkSEncKey: try vector.key("nwk_s_enc_key"), fOptsVariant: variant)
            counters = .separate(nFCntDown: fCnt, aFCntDown: fCnt)
        }
        var session = try NetworkSession(
            devEUI: Fixture.devEUI, devAddr: devAddr, macVersion: keys.isLoRaWAN11 ? .v1_1 : .v1_0_2, region: .eu868,
            activation: .otaa, keys: keys, sessionKeyID: Fixture.sessionKeyID, downlinkCounters: counters)
        let fCtrl = try vector.hex("fctrl")[0]
        session.adrEnabled = fCtrl & 0x80 != 0
        let confirmed = try vector.hex("mhdr")[0] == 0xA0
        var application: ApplicationDownlink?
        if let fPort = try vector.optionalInt("fport") {
            // The Application Server encrypted the payload with the AppSKey; the Network Server (and
            // this test) never holds that key, so the ciphertext is taken from the published frame.
            let encrypted = try DataFrame(decoding: try vector.expectedHex("phy_payload")).frmPayload
            application = Fixture.applicationDownlink(fCnt: fCnt, fPort: UInt8(fPort), payload: encrypted, confirmed: confirmed)
        }
        let content = DownlinkFrameContent(
            macCommands: try MACCommandCodec.decodeDownlink(try vector.hex("fopts")), application: application,
            acknowledgedUplinkFCnt: fCtrl & 0x20 != 0 ? UInt32(try vector.optionalInt("conf_fcnt") ?? 0) : nil,
            framePending: fCtrl & 0x10 != 0)
        return try DownlinkFrameBuilder.build(content, for: session, dataRate: .dr5).phyPayload
    }

    @Test("every downlink of data_frame.json is built byte for byte")
    func dataFrameVectors() throws {
        let file = try VectorFile.load("data_frame")
        var checked = 0
        for vector in file.vectors where try MHDR(byte: try vector.hex("mhdr")[0]).mType.dataDirection == .downlink {
            #expect(try Self.build(vector).hex == (try vector.expectedHex("phy_payload")).hex, "\(vector.id)")
            checked += 1
        }
        #expect(checked == 2)
    }

    @Test("the 1.0 ACK downlink of data_mic.json: ACK set, B0 without ConfFCnt")
    func legacyAckVector() throws {
        let vector = try #require(try VectorFile.load("data_mic").vectors.first { $0.id == "lora-packet-mic-ack-downlink" })
        let session = try NetworkSession(
            devEUI: Fixture.devEUI, devAddr: try vector.devAddr(), macVersion: .v1_0_2, region: .eu868, activation: .otaa,
            keys: .legacy(nwkSKey: try vector.key("nwk_s_key")), sessionKeyID: Fixture.sessionKeyID,
            downlinkCounters: .shared(fCntDown: 2))
        let content = DownlinkFrameContent(application: Fixture.applicationDownlink(fCnt: 2, fPort: 1, payload: []),
                                           acknowledgedUplinkFCnt: 0x1234)
        let frame = try DownlinkFrameBuilder.build(content, for: session, dataRate: .dr0)
        #expect(frame.phyPayload.hex == (try vector.hex("msg") + vector.expectedHex("mic")).hex)
    }

    @Test("a downlink too long for the data rate is refused with a typed error")
    func tooLong() throws {
        let session = try Fixture.session()
        // EU868 DR0 carries a MACPayload of 59 bytes: FHDR 7 + FPort 1 + 51 bytes of payload.
        let fits = DownlinkFrameContent(application: Fixture.applicationDownlink(fCnt: 0, payload: [UInt8](repeating: 0, count: 51)))
        #expect(try DownlinkFrameBuilder.build(fits, for: session, dataRate: .dr0).phyPayload.count == 64)
        let tooLong = DownlinkFrameContent(application: Fixture.applicationDownlink(fCnt: 0, payload: [UInt8](repeating: 0, count: 52)))
        #expect(throws: DownlinkFrameError.tooLongForDataRate(.dr0, maximumMACPayload: 59, actualMACPayload: 60)) {
            try DownlinkFrameBuilder.build(tooLong, for: session, dataRate: .dr0)
        }
        #expect(try DownlinkFrameBuilder.build(tooLong, for: session, dataRate: .dr5).phyPayload.count == 65)
        // US915 DR4 is uplink-only: not a downlink data rate at all.
        let us = try Fixture.session(region: .us915)
        #expect(throws: DownlinkFrameError.self) { try DownlinkFrameBuilder.build(DownlinkFrameContent(), for: us, dataRate: .dr4) }
    }

    @Test("1.0 sessions spend one FCntDown; an application counter already used is refused")
    func legacyCounter() throws {
        var session = try Fixture.session()
        let mac = try DownlinkFrameBuilder.build(DownlinkFrameContent(macCommands: [.devStatusReq]), for: session, dataRate: .dr5)
        #expect(mac.fCnt == 0)
        #expect(mac.counter == .fCntDown)
        session.recordDownlinkSent(mac)
        #expect(session.downlinkCounters == .shared(fCntDown: 1))
        #expect(session.pendingMACRequests == [.devStatusReq])
        #expect(throws: DownlinkFrameError.applicationCounterAlreadyUsed(fCnt: 0, next: 1, counter: .fCntDown)) {
            try DownlinkFrameBuilder.build(DownlinkFrameContent(application: Fixture.applicationDownlink(fCnt: 0)), for: session, dataRate: .dr5)
        }
        let app = try DownlinkFrameBuilder.build(DownlinkFrameContent(application: Fixture.applicationDownlink(fCnt: 4, confirmed: true)),
                                                 for: session, dataRate: .dr5)
        session.recordDownlinkSent(app)
        #expect(session.downlinkCounters == .shared(fCntDown: 5))
        #expect(session.lastConfirmedDownlinkFCnt == 4)
        #expect(try DataFrame(decoding: app.phyPayload).mType == .confirmedDataDown)
    }

    @Test("1.1 sessions use NFCntDown for MAC-only frames and AFCntDown for application frames, FOpts encrypted")
    func currentCounters() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys())
        session.downlinkCounters = .separate(nFCntDown: 7, aFCntDown: 3)
        let mac = try DownlinkFrameBuilder.build(DownlinkFrameContent(macCommands: [.linkCheckAns(margin: 9, gwCnt: 2)]),
                                                 for: session, dataRate: .dr5)
        #expect((mac.fCnt, mac.counter) == (7, .nFCntDown))
        let wire = try DataFrame(decoding: mac.phyPayload)
        #expect(wire.fOpts != [0x02, 9, 2], "FOpts travel encrypted")
        guard case .current(_, let s, let nwkSEncKey, let variant) = session.keys else { return }
        let clear = try PayloadCipher.cryptFOpts(wire.fOpts, key: nwkSEncKey, variant: variant, direction: .downlink,
                                                 devAddr: session.devAddr, fCnt: 7, downlinkCounter: .nFCntDown)
        #expect(clear == [0x02, 9, 2])
        #expect(DataFrameMIC.computeDownlinkMIC(sNwkSIntKey: s, confFCnt: 0, devAddr: session.devAddr, fCnt: 7,
                                                message: Array(mac.phyPayload.dropLast(4))) == wire.mic)
        let app = try DownlinkFrameBuilder.build(
            DownlinkFrameContent(macCommands: [.devStatusReq], application: Fixture.applicationDownlink(fCnt: 3)), for: session, dataRate: .dr5)
        #expect((app.fCnt, app.counter) == (3, .aFCntDown))
        session.recordDownlinkSent(app)
        #expect(session.downlinkCounters == .separate(nFCntDown: 7, aFCntDown: 4))
    }

    @Test("an ACK sets FCtrl.ACK and, in 1.1, puts the acknowledged uplink counter in the MIC")
    func ack() throws {
        let session = try Fixture.session(keys: Fixture.currentKeys())
        let frame = try DownlinkFrameBuilder.build(DownlinkFrameContent(acknowledgedUplinkFCnt: 0x0002_0031), for: session, dataRate: .dr5)
        let wire = try DataFrame(decoding: frame.phyPayload)
        #expect(wire.fCtrl.ack)
        #expect(wire.fPort == nil)
        guard case .current(_, let s, _, _) = session.keys else { return }
        #expect(DataFrameMIC.computeDownlinkMIC(sNwkSIntKey: s, confFCnt: 0x0031, devAddr: session.devAddr, fCnt: 0,
                                                message: Array(frame.phyPayload.dropLast(4))) == wire.mic)
    }

    @Test("the ADR bit mirrors the device's request, FPending the content's")
    func fCtrl() throws {
        var session = try Fixture.session()
        session.adrEnabled = true
        let frame = try DownlinkFrameBuilder.build(DownlinkFrameContent(framePending: true), for: session, dataRate: .dr5)
        #expect(try DataFrame(decoding: frame.phyPayload).fCtrl == .downlink(DownlinkFCtrl(adr: true, ack: false, fPending: true)))
    }

    @Test("MAC commands beyond 15 bytes go in an FPort 0 payload, or are refused beside an application payload")
    func longMAC() throws {
        let session = try Fixture.session()
        let commands = [DownlinkMACCommand](repeating: .linkADRReq(dataRate: .dr5, txPower: TXPower(rawValue: 0)!, chMask: 7,
                                                                   chMaskCntl: ChannelMaskControl(rawValue: 0)!, nbTrans: NbTrans(rawValue: 1)!),
                                            count: 4)
        let frame = try DownlinkFrameBuilder.build(DownlinkFrameContent(macCommands: commands), for: session, dataRate: .dr5)
        let wire = try DataFrame(decoding: frame.phyPayload)
        #expect(wire.fPort == 0)
        #expect(wire.fOpts.isEmpty)
        let clear = DataFrameCrypto.cryptNetworkPayload(wire.frmPayload, direction: .downlink, devAddr: session.devAddr, fCnt: 0, keys: session.keys)
        #expect(try MACCommandCodec.decodeDownlink(clear) == commands)
        #expect(throws: DownlinkFrameError.macCommandsTooLongForFOpts(length: 20)) {
            try DownlinkFrameBuilder.build(DownlinkFrameContent(macCommands: commands, application: Fixture.applicationDownlink(fCnt: 0)),
                                           for: session, dataRate: .dr5)
        }
    }

    @Test("an application downlink for another session, or on FPort 0, is refused")
    func applicationChecks() throws {
        let session = try Fixture.session()
        let foreign = Fixture.applicationDownlink(fCnt: 0, sessionKeyID: [9, 9])
        #expect(throws: DownlinkFrameError.sessionMismatch(downlinkID: foreign.id)) {
            try DownlinkFrameBuilder.build(DownlinkFrameContent(application: foreign), for: session, dataRate: .dr5)
        }
        let portZero = Fixture.applicationDownlink(fCnt: 0, fPort: 0)
        #expect(throws: DownlinkFrameError.applicationFPortZero(downlinkID: portZero.id)) {
            try DownlinkFrameBuilder.build(DownlinkFrameContent(application: portZero), for: session, dataRate: .dr5)
        }
    }

    @Test("a downlink counter never reaches 2^32 − 1: the session is exhausted")
    func exhausted() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys())
        session.downlinkCounters.spend(.max - 1, of: .nFCntDown)
        #expect(throws: DownlinkFrameError.counterExhausted(.nFCntDown)) {
            try DownlinkFrameBuilder.build(DownlinkFrameContent(), for: session, dataRate: .dr5)
        }
        #expect(throws: DownlinkFrameError.counterExhausted(.aFCntDown)) {
            try DownlinkFrameBuilder.build(DownlinkFrameContent(application: Fixture.applicationDownlink(fCnt: .max)), for: session,
                                           dataRate: .dr5)
        }
    }

    @Test("the receive windows are used only when something must be said")
    func downlinkReasons() {
        let quiet = DownlinkReasons(confirmed: false, fCtrl: UplinkFCtrl(adr: true), macAnswers: [], macRequests: [],
                                    applicationQueued: false)
        #expect(quiet.isEmpty)
        let busy = DownlinkReasons(confirmed: true, fCtrl: UplinkFCtrl(adrAckReq: true), macAnswers: [.pingSlotInfoAns],
                                   macRequests: [.devStatusReq], applicationQueued: true)
        #expect(busy == [.acknowledgement, .adrAckRequest, .macAnswers, .macRequests, .applicationQueued])
    }
}
