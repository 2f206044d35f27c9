import LoRaWAN
import ReferenceVectors
import Testing

@testable import StationSimulator

@Suite("Virtual device: uplinks")
struct VirtualDeviceUplinkTests {
    /// A device with the session of a published data-frame vector: its DevAddr, keys and counter.
    private func device(for vector: VectorFile.Vector, version: MACVersion) throws -> VirtualDevice {
        var device = try NetworkSide.joined(version)
        let devAddr = DevAddr(try #require(Hex.decode(try vector.string("dev_addr"))).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let keys: NetworkSessionKeys
        if version == .v1_1 {
            keys = .current(
                fNwkSIntKey: try #require(FNwkSIntKey(bytes: try vector.hex("f_nwk_s_int_key"))),
                sNwkSIntKey: try #require(SNwkSIntKey(bytes: try vector.hex("s_nwk_s_int_key"))),
                nwkSEncKey: try #require(NwkSEncKey(bytes: try vector.hex("nwk_s_enc_key"))), fOptsVariant: .errata)
        } else {
            keys = .legacy(nwkSKey: try #require(NwkSKey(bytes: try vector.hex("nwk_s_key"))))
        }
        var session = VirtualDeviceSession(
            devAddr: devAddr, netID: NetworkSide.netID, joinNonce: JoinNonce(1)!, devNonce: DevNonce(0), networkKeys: keys,
            appSKey: try #require(AppSKey(bytes: try vector.hex("app_s_key"))), rxDelay: 1, rx1DROffset: 0, rx2DataRate: .dr0)
        session.fCntUp = UInt32(try vector.int("fcnt"))
        session.awaitsRekeyConf = false
        device.session = session
        return device
    }

    @Test("a 1.0 uplink is byte for byte the published frame for the same session, counter and payload")
    func legacyUplinkVector() throws {
        let vector = try #require(try VectorFile.load("data_frame").vectors.first { $0.id == "brocaar-10-frmpayload-data" })
        var device = try device(for: vector, version: .v1_0_3)
        let uplink = try device.makeUplink(fPort: UInt8(try vector.int("fport")), payload: try vector.hex("frm_payload"))
        #expect(uplink.phyPayload.hex == (try vector.expectedHex("phy_payload")).hex)
        #expect(uplink.fCnt == 1 && device.session?.fCntUp == 2)
    }

    @Test("a 1.1 uplink is the published frame when sent at the vector's TxDr and TxCh, with and without ACK")
    func currentUplinkVectors() throws {
        for id in ["brocaar-11-frmpayload-data", "brocaar-11-frmpayload-ack"] {
            let vector = try #require(try VectorFile.load("data_frame").vectors.first { $0.id == id })
            var device = try device(for: vector, version: .v1_1)
            // Channel 3 (867.1 MHz from the CFList) at DR2, the only channel the gateway hears.
            let cfList = try RegionalParameters.eu868.cfList(frequencies: [Frequency(hertz: 867_100_000)])
            device.channels.reset(cfList: cfList)
            device.channels.restrict(toFrequencies: [Frequency(hertz: 867_100_000)])
            #expect(device.channels.applyLinkADR([LinkADRRequest(dataRate: .dr2, txPower: 15, chMask: 0x000F, chMaskCntl: 0)]).isAccepted)
            if try vector.int("conf_fcnt") > 0 { device.session?.downlinkToAcknowledge = UInt32(try vector.int("conf_fcnt")) }
            let uplink = try device.makeUplink(fPort: 1, payload: try vector.hex("frm_payload"))
            #expect(uplink.channelIndex == 3 && uplink.dataRate == .dr2)
            #expect(uplink.phyPayload.hex == (try vector.expectedHex("phy_payload")).hex, "\(id)")
        }
    }

    @Test("a 1.0 uplink verifies with LoRaWAN's MIC check and decrypts to the payload under AppSKey")
    func legacyUplinkVerifies() throws {
        var device = try NetworkSide.joined(.v1_0_2)
        let session = try #require(device.session)
        for fCnt in 0..<3 {
            let payload: [UInt8] = [0xCA, 0xFE, UInt8(fCnt)]
            let uplink = try device.makeUplink(fPort: 10, payload: payload, confirmed: fCnt == 1)
            #expect(uplink.fCnt == UInt32(fCnt))
            #expect(try DataFrameCrypto.verifyMIC(frame: uplink.phyPayload, fCnt: UInt32(fCnt), keys: session.networkKeys))
            let frame = try DataFrame(decoding: uplink.phyPayload)
            #expect(frame.confirmed == (fCnt == 1) && frame.fPort == 10 && frame.fCtrl.adr)
            #expect(PayloadCipher.cryptFRMPayload(frame.frmPayload, key: session.appSKey, direction: .uplink, devAddr: session.devAddr, fCnt: UInt32(fCnt)) == payload)
            #expect([868_100_000, 868_300_000, 868_500_000].contains(Int(uplink.frequency.hertz)) && uplink.dataRate == .dr5)
        }
    }

    @Test("a 1.1 uplink's MIC binds TxDr and TxCh, and its FOpts carry RekeyInd encrypted with NwkSEncKey")
    func currentUplinkVerifies() throws {
        var device = try NetworkSide.joined(.v1_1)
        let session = try #require(device.session)
        let uplink = try device.makeUplink(fPort: 2, payload: [1, 2, 3, 4])
        let right = MICParameters(txDR: uplink.dataRate.rawValue, txCh: UInt8(uplink.channelIndex))
        let wrong = MICParameters(txDR: uplink.dataRate.rawValue, txCh: UInt8(uplink.channelIndex + 1))
        #expect(try DataFrameCrypto.verifyMIC(frame: uplink.phyPayload, fCnt: 0, keys: session.networkKeys, micParameters: right))
        #expect(try !DataFrameCrypto.verifyMIC(frame: uplink.phyPayload, fCnt: 0, keys: session.networkKeys, micParameters: wrong))
        let frame = try DataFrame(decoding: uplink.phyPayload)
        #expect(frame.fOpts != [0x0B, 0x01], "FOpts travel encrypted in 1.1")
        #expect(try NetworkSide.uplinkMACCommands(uplink.phyPayload, session: session, fCnt: 0) == [.rekeyInd(minor: .lorawan1_1)])
    }

    @Test("a 1.0 session sends FOpts in clear and never RekeyInd")
    func legacyFOptsClear() throws {
        var device = try NetworkSide.joined(.v1_1, optNeg: false)
        _ = try device.receiveDownlink(try NetworkSide.downlink(to: try #require(device.session), fCnt: 0, macCommands: [.devStatusReq]))
        let uplink = try device.makeUplink(fPort: 1, payload: [])
        let commands = try MACCommandCodec.decodeUplink(try DataFrame(decoding: uplink.phyPayload).fOpts)
        #expect(commands.count == 1 && commands.first?.cid == 0x06)
    }

    @Test("the FPort must be an application port and the frame must fit the data rate")
    func sizeAndPortLimits() throws {
        var device = try NetworkSide.joined(.v1_0_3)
        #expect(throws: VirtualDeviceError.invalidFPort(0)) { try device.makeUplink(fPort: 0, payload: []) }
        #expect(throws: VirtualDeviceError.invalidFPort(225)) { try device.makeUplink(fPort: 225, payload: []) }
        // EU868 DR5: MACPayload at most 250 bytes, so 242 bytes of application payload.
        _ = try device.makeUplink(fPort: 1, payload: [UInt8](repeating: 0, count: 242))
        #expect(throws: VirtualDeviceError.payloadTooLarge(size: 251, maximum: 250, dataRate: .dr5)) {
            try device.makeUplink(fPort: 1, payload: [UInt8](repeating: 0, count: 243))
        }
        var stranger = try NetworkSide.device(.v1_0_3)
        #expect(throws: VirtualDeviceError.notJoined(devEUI: stranger.devEUI)) { try stranger.makeUplink(fPort: 1, payload: []) }
    }

    @Test("a device whose gateway hears none of its channels cannot send")
    func noAudibleChannel() throws {
        var device = try NetworkSide.joined(.v1_0_3)
        device.restrictChannels(toFrequencies: [Frequency(hertz: 915_000_000)])
        #expect(throws: VirtualDeviceError.noUsableChannel(devEUI: device.devEUI, dataRate: .dr5)) {
            try device.makeUplink(fPort: 1, payload: [])
        }
        device.restrictChannels(toFrequencies: [Frequency(hertz: 868_300_000)])
        #expect(try device.makeUplink(fPort: 1, payload: []).channelIndex == 1)
    }

    @Test("a US915 device uses the sub-band its gateway hears at DR3")
    func us915SubBand() throws {
        var device = try NetworkSide.device(.v1_0_4, region: .us915)
        let heard = Set((8..<16).map { Frequency(hertz: UInt32(902_300_000 + 200_000 * $0)) })
        device.restrictChannels(toFrequencies: heard)
        _ = try device.makeJoinRequest()
        _ = try device.acceptJoin(try NetworkSide.joinAccept(for: device, devNonce: try #require(device.pendingDevNonce)))
        for _ in 0..<8 {
            let uplink = try device.makeUplink(fPort: 1, payload: [1])
            #expect((8..<16).contains(uplink.channelIndex) && uplink.dataRate == .dr3)
        }
    }
}
