import Foundation
import LoRaWAN
import Testing

@testable import StationSimulator

@Suite("Station messages: what the simulator writes and reads")
struct StationMessageEncodingTests {
    private func object(_ text: String?) throws -> [String: Any] {
        let text = try #require(text)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    private let reception = StationReception(
        dataRate: .dr3, frequency: Frequency(hertz: 868_300_000), xtime: 45_035_996_546_115_715, rctx: 0, gpsTime: 0, rssi: -50,
        snr: 9, rxTime: 1_795_262_489.726413, refTime: 1_795_262_489.726412)

    @Test("jreq carries the fields of the protocol reference, the MIC as a signed 32-bit integer")
    func joinRequest() throws {
        // The reference jreq: JoinEui 70-B3-D5-7E-D0-00-00-01, DevEui 00-04-A3-0B-00-1C-05-30, DevNonce 4660, MIC 1235442767.
        var frame: [UInt8] = [0x00]
        frame += EUI64(0x70B3_D57E_D000_0001).littleEndianBytes + EUI64(0x0004_A30B_001C_0530).littleEndianBytes
        frame += [0x34, 0x12] + MIC(UInt32(1_235_442_767)).bytes
        let text = try #require(StationMessageEncoding.joinRequest(frame, reception: reception, spelling: .mixedCase))
        #expect(text == #"{"msgtype":"jreq","MHdr":0,"JoinEui":"70-B3-D5-7E-D0-00-00-01","DevEui":"00-04-A3-0B-00-1C-05-30","#
            + #""DevNonce":4660,"MIC":1235442767,"RefTime":1795262489.726412,"DR":3,"Freq":868300000,"#
            + #""upinfo":{"rctx":0,"xtime":45035996546115715,"gpstime":0,"fts":-1,"rssi":-50,"snr":9,"rxtime":1795262489.726413}}"#)
        let negative = Array(frame.prefix(19)) + MIC(0xF000_0001).bytes
        #expect(try object(StationMessageEncoding.joinRequest(negative, reception: reception, spelling: .upperCase))["MIC"] as? Int == -268_435_455)
        #expect(try object(StationMessageEncoding.joinRequest(frame, reception: reception, spelling: .upperCase))["DevEUI"] as? String == "00-04-A3-0B-00-1C-05-30")
        #expect(StationMessageEncoding.joinRequest(Array(frame.prefix(22)), reception: reception, spelling: .mixedCase) == nil)
    }

    @Test("updf splits the frame as the station does: signed DevAddr and MIC, FCtrl with FOptsLen, FPort -1 without a port")
    func dataUplink() throws {
        let frame = DataFrame(
            confirmed: true, devAddr: DevAddr(0x8600_0001), fCtrl: .uplink(UplinkFCtrl(adr: true)), fCnt16: 7, fOpts: [0x06, 0xFF, 0x0A])
        let bytes = try frame.encodeWithoutMIC() + MIC(0x1234_5678).bytes
        let updf = try object(StationMessageEncoding.dataUplink(bytes, reception: reception))
        #expect(updf["msgtype"] as? String == "updf" && updf["MHdr"] as? Int == 0x80)
        #expect(updf["DevAddr"] as? Int == Int(Int32(bitPattern: 0x8600_0001)))
        #expect(updf["FCtrl"] as? Int == 0x83 && updf["FCnt"] as? Int == 7 && updf["FOpts"] as? String == "06FF0A")
        #expect(updf["FPort"] as? Int == -1 && updf["FRMPayload"] as? String == "" && updf["MIC"] as? Int == 0x1234_5678)
        let withPort = DataFrame(confirmed: false, devAddr: DevAddr(1), fCtrl: .uplink(UplinkFCtrl()), fCnt16: 1, fPort: 10, frmPayload: [0x92, 0x52, 0xCD])
        let second = try object(StationMessageEncoding.dataUplink(try withPort.encode(), reception: reception))
        #expect(second["FPort"] as? Int == 10 && second["FRMPayload"] as? String == "9252CD" && second["FOpts"] as? String == "")
    }

    @Test("dntxed names the downlink, the device and the actual transmit time")
    func transmissionReport() throws {
        let text = StationMessageEncoding.downlinkTransmitted(
            diid: 1, devEUI: EUI64(0xAA), dataRate: .dr5, frequency: Frequency(hertz: 868_100_000), rctx: 0, xtime: 26_740_123_061_508_404,
            txTime: 451.26543, gpsTime: 0, spelling: .mixedCase)
        #expect(text == #"{"msgtype":"dntxed","seqno":1,"diid":1,"DR":5,"Freq":868100000,"DevEui":"00-00-00-00-00-00-00-AA","#
            + #""rctx":0,"xtime":26740123061508404,"txtime":451.26543,"gpstime":0}"#)
    }

    @Test("version and the router-info request are the station's")
    func versionAndRouterInfo() throws {
        let version = try object(StationMessageEncoding.version(station: "2.0.6(linux/sim)", model: "linux"))
        #expect(version["msgtype"] as? String == "version" && version["protocol"] as? Int == 2 && version["firmware"] is NSNull)
        #expect(StationMessageEncoding.routerInfoRequest(EUI64(0x0016_C001_FF10_A235)) == #"{"router":"16:c001:ff10:a235"}"#)
    }

    @Test("router_config: the concentrator's channels, upchannels, MuxTime, and the JoinEUI spelling switch")
    func routerConfig() throws {
        let config = try StationRouterConfig(decoding: FakeLNS.referenceRouterConfig)
        let expected = [867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000, 868_100_000, 868_300_000, 868_500_000]
        #expect(config.concentratorFrequencies == Set(expected.map { Frequency(hertz: UInt32($0)) }))
        #expect(config.audibleFrequencies == config.concentratorFrequencies)
        #expect(config.uplinkChannels.map(\.frequency.hertz) == [868_100_000, 868_300_000, 868_500_000])
        #expect(config.frequencyRange == Frequency(hertz: 863_000_000)...Frequency(hertz: 870_000_000))
        let upper = #"{"msgtype":"router_config","region":"US915","hwspec":"sx1301/1","sx1301_conf":[{}],"JoinEUI":[[0,100]]}"#
        let switched = try StationRouterConfig(decoding: upper)
        #expect(switched.euiFieldSpelling == .upperCase && switched.region == .us915 && switched.audibleFrequencies == nil)
        #expect(throws: SimulatedStationError.routerConfigRejected("sx1301_conf is missing or empty")) {
            try StationRouterConfig(decoding: #"{"msgtype":"router_config","hwspec":"sx1301/1","sx1301_conf":[]}"#)
        }
    }

    @Test("dnmsg: every field read exactly, xtime beyond 2^53 included; the DR/Freq form is one window")
    func downlinkOrder() throws {
        let reference = #"{"msgtype":"dnmsg","DevEui":"00-00-00-00-00-00-00-AA","dC":0,"diid":1,"pdu":"20AB","#
            + #""RxDelay":5,"RX1DR":5,"RX1Freq":868100000,"RX2DR":0,"RX2Freq":869525000,"#
            + #""priority":0,"xtime":26740123056508405,"rctx":0,"MuxTime":1795262442.98}"#
        let order = try StationDownlinkOrder(decoding: reference)
        #expect(order.devEUI == EUI64(0xAA) && order.deviceClass == 0 && order.diid == 1 && order.pdu == [0x20, 0xAB])
        #expect(order.rxDelay == 5 && order.xtime == 26_740_123_056_508_405 && order.rctx == 0)
        #expect(order.rx1 == .init(dataRate: .dr5, frequency: Frequency(hertz: 868_100_000)))
        #expect(order.rx2 == .init(dataRate: .dr0, frequency: Frequency(hertz: 869_525_000)))
        let classC = try StationDownlinkOrder(decoding: #"{"msgtype":"dnmsg","DevEui":"00-00-00-00-00-00-00-AA","dC":2,"seqno":4,"pdu":"60","DR":0,"Freq":869525000}"#)
        #expect(classC.diid == 4 && classC.rx1?.frequency == Frequency(hertz: 869_525_000) && classC.rx2 == nil && classC.rxDelay == 0)
        #expect(throws: SimulatedStationError.malformedDownlink("pdu is missing, not hex, or longer than 255 bytes")) {
            try StationDownlinkOrder(decoding: #"{"msgtype":"dnmsg","DevEui":"00-00-00-00-00-00-00-AA","dC":0,"diid":1,"RX2DR":0,"RX2Freq":869525000}"#)
        }
    }

    @Test("LNS addresses are wss://host:port; the router-info answer gives the traffic URI or a refusal")
    func addresses() throws {
        #expect(try LNSAddress(parsing: "wss://localhost:8887") == LNSAddress(host: "localhost", port: 8887))
        #expect(try LNSAddress(parsing: "wss://[::1]:6000/traffic/1") == LNSAddress(host: "::1", port: 6000, path: "/traffic/1"))
        #expect(throws: SimulatedStationError.self) { try LNSAddress(parsing: "ws://localhost:8887") }
        #expect(throws: SimulatedStationError.self) { try LNSAddress(parsing: "wss://localhost") }
        let uri = try SimulatedStation.trafficURI(
            fromRouterInfoAnswer: #"{"router":"16:c001:ff10:a235","muxs":"any","uri":"wss://lns.example:8887/traffic/0016C001FF10A235"}"#)
        #expect(uri == LNSAddress(host: "lns.example", port: 8887, path: "/traffic/0016C001FF10A235"))
        #expect(throws: SimulatedStationError.discoveryRefused("the LNS answered: unknown gateway")) {
            try SimulatedStation.trafficURI(fromRouterInfoAnswer: #"{"router":"::1","error":"unknown gateway"}"#)
        }
    }

    @Test("the device file reads every version and refuses a bad key without repeating it")
    func deviceFile() throws {
        let key = "000102030405060708090a0b0c0d0e0f"
        let json = #"{"devices":[{"devEUI":"0004A30B001C0530","joinEUI":"70B3D57ED0000001","macVersion":"1.1","appKey":"\#(key)","nwkKey":"\#(key)"},"#
            + #"{"devEUI":"00-04-A3-0B-00-1C-05-31","joinEUI":"70B3D57ED0000001","macVersion":"1.0.2","appKey":"\#(key)","nextDevNonce":9}]}"#
        let devices = try SimulationDeviceFile(data: Data(json.utf8)).devices(region: .eu868)
        #expect(devices.map(\.macVersion) == [.v1_1, .v1_0_2] && devices[1].devEUI == EUI64(0x0004_A30B_001C_0531))
        let badKey = "zz0102030405060708090a0b0c0d0e0f"
        let bad = #"{"devices":[{"devEUI":"0004A30B001C0530","joinEUI":"70B3D57ED0000001","macVersion":"1.0.3","appKey":"\#(badKey)"}]}"#
        let error = #expect(throws: SimulationDeviceFileError.self) { try SimulationDeviceFile(data: Data(bad.utf8)).devices(region: .eu868) }
        #expect(error.map { !"\($0)".contains(badKey) && "\($0)".contains("appKey") } == true)
        let missingNwkKey = #"{"devices":[{"devEUI":"0004A30B001C0530","joinEUI":"70B3D57ED0000001","macVersion":"1.1","appKey":"\#(key)"}]}"#
        #expect(throws: SimulationDeviceFileError.self) { try SimulationDeviceFile(data: Data(missingNwkKey.utf8)).devices(region: .eu868) }
    }
}
