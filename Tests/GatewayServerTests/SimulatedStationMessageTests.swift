import BackendInterfaces
import Foundation
import GatewayServer
import LoRaWAN
import StationSimulator
import Testing

/// The simulated station and the LNS's own codecs agree: what the simulator sends decodes with
/// `StationMessage(decoding:from:)` into the device's exact bytes, and what the LNS encodes
/// (`RouterConfig`, `DownlinkMessage`) is read by the simulator and accepted by its devices.
@Suite("Simulated station messages against the LNS codecs")
struct SimulatedStationMessageTests {
    static let gateway = EUI64(0x0016_C001_FF10_A235)
    static let appKey = AppKey(bytes: (0..<16).map { UInt8(0x30 + $0) })!
    static let nwkKey = NwkKey(bytes: (0..<16).map { UInt8(0xC0 + $0) })!

    private let reception = StationReception(
        dataRate: .dr5, frequency: Frequency(hertz: 868_100_000), xtime: 0x00A1_0000_1234_5678, rctx: 0, gpsTime: 0, rssi: -61,
        snr: 7.5, rxTime: 1_795_262_489.726413, refTime: 1_795_262_489.726412)

    private func uplink(_ text: String?) throws -> (StationUplinkKind, GatewayUplink) {
        let message = try StationMessage(decoding: try #require(text), from: Self.gateway)
        guard case .uplink(let kind, let uplink) = message else {
            Issue.record("expected an uplink, got \(message.msgtype)")
            throw StationProtocolError.notAnObject
        }
        return (kind, uplink)
    }

    /// The join-accept a 1.1 Join Server sends with OptNeg = 1.
    private func joinAccept(for device: VirtualDevice, devNonce: DevNonce, devAddr: DevAddr) throws -> [UInt8] {
        var accept = JoinAccept(
            joinNonce: JoinNonce(7)!, homeNetID: NetID(0x000013)!, devAddr: devAddr, dlSettings: DLSettings(byte: 0x80), rxDelay: 1)
        let jsIntKey = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: Self.nwkKey, devEUI: device.devEUI).jsIntKey
        accept.mic = JoinMIC.computeJoinAcceptMIC(
            jsIntKey: jsIntKey, joinReqType: .joinRequest, joinEUI: device.joinEUI, devNonce: devNonce.rawValue, message: accept.encodedWithoutMIC)
        return try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: Self.nwkKey)
    }

    private func dnmsg(_ pdu: [UInt8], devEUI: EUI64, xtime: Int64, rxDelay: UInt8, diid: Int64) throws -> StationDownlinkOrder {
        let downlink = GatewayDownlink(
            devEUI: devEUI, phyPayload: pdu, deviceClass: .a, rxDelay: rxDelay,
            rx1: .init(dataRate: .dr5, frequency: Frequency(hertz: 868_100_000)), rx2: .init(dataRate: .dr0, frequency: Frequency(hertz: 869_525_000)),
            uplinkXTime: xtime, uplinkRCtx: 0, diid: diid)
        let text = try DownlinkMessage(downlink, muxTime: Date(timeIntervalSince1970: 1_795_262_442.98)).encoded()
        return try StationDownlinkOrder(decoding: text)
    }

    @Test("join-request, join-accept, uplink with encrypted FOpts and downlink round-trip through both codecs")
    func roundTrip() throws {
        var device = try VirtualDevice(
            devEUI: EUI64(0x0004_A30B_001C_0530), joinEUI: EUI64(0x70B3_D57E_D000_0001), macVersion: .v1_1, appKey: Self.appKey,
            nwkKey: Self.nwkKey, nextDevNonce: 300)
        let request = try device.makeJoinRequest()
        for spelling in [StationEUIFieldSpelling.mixedCase, .upperCase] {
            let (kind, decoded) = try uplink(StationMessageEncoding.joinRequest(request.phyPayload, reception: reception, spelling: spelling))
            #expect(kind == .joinRequest && decoded.phyPayload == request.phyPayload && decoded.gatewayEUI == Self.gateway)
            #expect(decoded.metadata.xtime == reception.xtime && decoded.metadata.dataRate == .dr5 && decoded.metadata.rssi == -61)
            #expect(decoded.metadata.snr == 7.5 && decoded.metadata.frequency == Frequency(hertz: 868_100_000))
            #expect(decoded.metadata.referenceTime.map { abs($0.timeIntervalSince1970 - 1_795_262_489.726412) < 1e-5 } == true)
        }

        // A DevAddr with the top bit set travels as a negative number.
        let devAddr = DevAddr(0xFC00_0A01)
        let order = try dnmsg(
            try joinAccept(for: device, devNonce: DevNonce(300), devAddr: devAddr), devEUI: device.devEUI, xtime: reception.xtime, rxDelay: 5, diid: 41)
        #expect(order.xtime == reception.xtime && order.rxDelay == 5 && order.diid == 41 && order.devEUI == device.devEUI)
        let joined = try device.acceptJoin(order.pdu)
        #expect(joined.devAddr == devAddr && joined.isLoRaWAN11Session)
        let session = try #require(device.session)

        let sent = try device.makeUplink(fPort: 9, payload: [0x01, 0x02, 0x03], confirmed: true)
        var radio = reception
        radio.dataRate = sent.dataRate
        radio.frequency = sent.frequency
        let (kind, decoded) = try uplink(StationMessageEncoding.dataUplink(sent.phyPayload, reception: radio))
        #expect(kind == .dataFrame && decoded.phyPayload == sent.phyPayload)
        let micParameters = MICParameters(txDR: decoded.metadata.dataRate.rawValue, txCh: UInt8(sent.channelIndex))
        #expect(try DataFrameCrypto.verifyMIC(frame: decoded.phyPayload, fCnt: 0, keys: session.networkKeys, micParameters: micParameters))
        #expect(try !DataFrame(decoding: decoded.phyPayload).fOpts.isEmpty, "RekeyInd rides in FOpts")

        let ack = DataFrame(confirmed: false, devAddr: devAddr, fCtrl: .downlink(DownlinkFCtrl(ack: true)), fCnt16: 0, fOpts: MACCommandCodec.encode([.rekeyConf(minor: .lorawan1_1)]))
        let sealed = try DataFrameCrypto.seal(ack, fCnt: 0, keys: session.networkKeys, micParameters: MICParameters(confFCnt: 0))
        let downlinkOrder = try dnmsg(sealed, devEUI: device.devEUI, xtime: reception.xtime + 1, rxDelay: 1, diid: 42)
        let received = try device.receiveDownlink(downlinkOrder.pdu)
        #expect(received.ack && received.acknowledgedUplink == 0 && received.macCommands == [.rekeyConf(minor: .lorawan1_1)])
    }

    @Test("dntxed and version decode as the LNS reads them")
    func transmissionReportAndVersion() throws {
        let text = StationMessageEncoding.downlinkTransmitted(
            diid: 42, devEUI: EUI64(0xAA), dataRate: .dr5, frequency: Frequency(hertz: 868_100_000), rctx: 0, xtime: 0x00A1_0000_1234_5678,
            txTime: 451.26543, gpsTime: 0, spelling: .mixedCase)
        guard case .downlinkTransmitted(let report) = try StationMessage(decoding: text, from: Self.gateway) else {
            Issue.record("expected dntxed")
            return
        }
        #expect(report.diid == 42 && report.devEUI == EUI64(0xAA) && report.xtime == 0x00A1_0000_1234_5678)
        #expect(report.txtime == 451.26543 && report.dataRate == .dr5 && report.frequency == Frequency(hertz: 868_100_000))
        let version = try StationMessage(decoding: StationMessageEncoding.version(station: "2.0.6(linux/gatehouse-sim)", model: "linux"), from: Self.gateway)
        #expect(version == .version(StationVersion(station: "2.0.6(linux/gatehouse-sim)", model: "linux", protocolVersion: 2)))
    }

    @Test("the LNS's router_config for every region is one the simulated station accepts, with channels its devices can use")
    func routerConfigs() throws {
        for region in Region.allCases {
            let text = try RouterConfig(parameters: region.parameters, muxTime: Date(timeIntervalSince1970: 1_795_262_442.98)).encoded()
            let config = try StationRouterConfig(decoding: text)
            #expect(config.region == region && config.muxTime == 1_795_262_442.98 && config.euiFieldSpelling == .mixedCase)
            let heard = try #require(config.audibleFrequencies)
            #expect(!heard.isEmpty)
            var device = try VirtualDevice(
                devEUI: EUI64(1), joinEUI: EUI64(2), macVersion: .v1_0_4, appKey: Self.appKey, region: region)
            device.restrictChannels(toFrequencies: heard)
            let request = try device.makeJoinRequest()
            #expect(heard.contains(request.frequency), "\(region)")
        }
    }
}
