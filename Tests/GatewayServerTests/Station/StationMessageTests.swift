import BackendInterfaces
import Foundation
import GatewayServer
import LoRaWAN
import Testing

/// Station → LNS messages: each reference example decodes, and uplinks rebuild the exact PHYPayload.
@Suite("Station messages")
struct StationMessageTests {
    static let gateway = EUI64(0x0016_C001_FF10_A235)

    static func decode(_ text: String) throws -> StationMessage {
        try StationMessage(decoding: text, from: gateway)
    }

    static func uplink(_ text: String) throws -> (StationUplinkKind, GatewayUplink) {
        guard case .uplink(let kind, let uplink) = try decode(text) else {
            Issue.record("not an uplink")
            throw StationProtocolError.notAnObject
        }
        return (kind, uplink)
    }

    @Test("the reference version message decodes with its features")
    func version() throws {
        let message = try Self.decode(StationReferenceMessages.version)
        #expect(message == .version(StationVersion(
            station: "2.0.6(linux/testsim)", firmware: nil, package: nil, model: "linux", protocolVersion: 2,
            features: ["rmtsh"])))
        #expect(message.msgtype == "version")
    }

    @Test("the reference jreq rebuilds the 23-byte join-request the station heard")
    func joinRequest() throws {
        let (kind, uplink) = try Self.uplink(StationReferenceMessages.joinRequest)
        #expect(kind == .joinRequest)
        #expect(uplink.gatewayEUI == Self.gateway)
        #expect(Hex.encode(uplink.phyPayload, uppercase: true) == StationReferenceMessages.joinRequestPHYPayload)
        #expect(uplink.phyPayload.count == 23)
        // The LoRaWAN codec reads back the fields the station reported.
        guard case .joinRequest(let request) = try PHYPayload(decoding: uplink.phyPayload) else {
            Issue.record("not a join-request")
            return
        }
        #expect(request.joinEUI == EUI64(0x70B3_D57E_D000_0001))
        #expect(request.devEUI == EUI64(0x0004_A30B_001C_0530))
        #expect(request.devNonce.rawValue == 4660)
    }

    @Test("the reference jreq carries exact radio metadata, xtime above 2^53 included")
    func joinRequestMetadata() throws {
        let (_, uplink) = try Self.uplink(StationReferenceMessages.joinRequest)
        let metadata = uplink.metadata
        #expect(metadata.dataRate == .dr3)
        #expect(metadata.frequency == Frequency(hertz: 868_300_000))
        #expect(metadata.xtime == 45_035_996_546_115_715)
        #expect(metadata.rctx == 0)
        #expect(metadata.gpsTime == 0)
        #expect(metadata.fineTimestamp == nil)
        #expect(metadata.rssi == -50)
        #expect(metadata.snr == 9)
        let received = try #require(metadata.stationReceiveTime)
        #expect(abs(received.timeIntervalSince1970 - 1_795_262_489.726413) < 1e-6)
        let reference = try #require(metadata.referenceTime)
        #expect(abs(reference.timeIntervalSince1970 - 1_795_262_489.726412) < 1e-6)
    }

    @Test("JoinEUI/DevEUI, the spelling after a router_config with JoinEUI, decode the same")
    func joinRequestOtherSpelling() throws {
        let text = StationReferenceMessages.joinRequest
            .replacingOccurrences(of: "\"JoinEui\"", with: "\"JoinEUI\"")
            .replacingOccurrences(of: "\"DevEui\"", with: "\"DevEUI\"")
        #expect(try Self.uplink(text).1 == Self.uplink(StationReferenceMessages.joinRequest).1)
    }

    @Test("a rejoin message rebuilds its 23 bytes with the rejoin MHDR")
    func rejoin() throws {
        let text = StationReferenceMessages.joinRequest
            .replacingOccurrences(of: "\"jreq\"", with: "\"rejoin\"")
            .replacingOccurrences(of: "\"MHdr\":0", with: "\"MHdr\":192")
        let (kind, uplink) = try Self.uplink(text)
        #expect(kind == .rejoinRequest)
        #expect(Hex.encode(uplink.phyPayload, uppercase: true) == "C0" + StationReferenceMessages.joinRequestPHYPayload.dropFirst(2))
    }

    @Test("the reference updf rebuilds the data frame the station heard")
    func dataUplink() throws {
        let (kind, uplink) = try Self.uplink(StationReferenceMessages.dataUplink)
        #expect(kind == .dataFrame)
        #expect(Hex.encode(uplink.phyPayload, uppercase: true) == StationReferenceMessages.dataUplinkPHYPayload)
        guard case .data(let frame) = try PHYPayload(decoding: uplink.phyPayload) else {
            Issue.record("not a data frame")
            return
        }
        #expect(frame.devAddr == DevAddr(637_604_404))
        #expect(frame.fCnt16 == 7)
        #expect(frame.fPort == 10)
        #expect(uplink.metadata.xtime == 45_035_996_551_636_597)
        #expect(uplink.metadata.dataRate == .dr0)
        #expect(uplink.metadata.frequency == Frequency(hertz: 867_100_000))
    }

    @Test("a negative DevAddr and MIC (signed 32-bit in JSON) become their unsigned bytes")
    func signedFields() throws {
        let text = StationReferenceMessages.dataUplink
            .replacingOccurrences(of: "\"DevAddr\":637604404", with: "\"DevAddr\":-2147483648")
            .replacingOccurrences(of: "\"MIC\":188834127", with: "\"MIC\":-1")
        let (_, uplink) = try Self.uplink(text)
        #expect(Array(uplink.phyPayload[1...4]) == [0x00, 0x00, 0x00, 0x80])
        #expect(Array(uplink.phyPayload.suffix(4)) == [0xFF, 0xFF, 0xFF, 0xFF])
    }

    @Test("FPort -1 means no port and no payload; FOpts follow FCtrl.FOptsLen")
    func noPortWithFOpts() throws {
        let text = StationReferenceMessages.dataUplink
            .replacingOccurrences(of: "\"FCtrl\":0", with: "\"FCtrl\":131")  // ADR + FOptsLen 3
            .replacingOccurrences(of: "\"FOpts\":\"\"", with: "\"FOpts\":\"0307ff\"")
            .replacingOccurrences(of: "\"FPort\":10", with: "\"FPort\":-1")
            .replacingOccurrences(of: "\"FRMPayload\":\"9252CDD763\"", with: "\"FRMPayload\":\"\"")
        let (_, uplink) = try Self.uplink(text)
        #expect(Hex.encode(uplink.phyPayload, uppercase: true) == "40" + "34120126" + "83" + "0700" + "0307FF" + "4F61410B")
        #expect(uplink.phyPayload.count == 15)
        guard case .data(let frame) = try PHYPayload(decoding: uplink.phyPayload) else {
            Issue.record("not a data frame")
            return
        }
        #expect(frame.fPort == nil)
        #expect(frame.fOpts == [0x03, 0x07, 0xFF])
    }

    @Test("the smallest data frame, 12 bytes, rebuilds")
    func minimalDataFrame() throws {
        let text = #"""
            {"msgtype":"updf","MHdr":128,"DevAddr":1,"FCtrl":0,"FCnt":0,"FOpts":"","FPort":-1,"FRMPayload":"","MIC":0,
             "DR":5,"Freq":868100000,"upinfo":{"rctx":1,"xtime":9223372036854775806,"rssi":-120.5,"snr":-7.25}}
            """#
        let (_, uplink) = try Self.uplink(text)
        #expect(uplink.phyPayload == [0x80, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(uplink.metadata.xtime == 9_223_372_036_854_775_806)
        #expect(uplink.metadata.rssi == -120.5)
        #expect(uplink.metadata.snr == -7.25)
        #expect(uplink.metadata.referenceTime == nil)
        #expect(uplink.metadata.stationReceiveTime == nil)
        #expect(uplink.metadata.gpsTime == 0)
    }

    @Test("xtime keeps every bit up to Int64.max")
    func xtimeExtremes() throws {
        let extremes: [Int64] = [.max, .max - 1, 45_035_996_546_115_715, (1 << 53) + 1, .min]
        for xtime in extremes {
            let text = StationReferenceMessages.dataUplink
                .replacingOccurrences(of: "45035996551636597", with: String(xtime))
            #expect(try Self.uplink(text).1.metadata.xtime == xtime)
        }
    }

    @Test("a propdf carries the whole proprietary frame")
    func proprietary() throws {
        let text = #"""
            {"msgtype":"propdf","FRMPayload":"E0010203","DR":0,"Freq":868100000,
             "upinfo":{"rctx":0,"xtime":1,"gpstime":1234567890123,"fts":5000,"rssi":-90,"snr":1.5,"rxtime":0}}
            """#
        let (kind, uplink) = try Self.uplink(text)
        #expect(kind == .proprietaryFrame)
        #expect(uplink.phyPayload == [0xE0, 1, 2, 3])
        #expect(uplink.metadata.gpsTime == 1_234_567_890_123)
        #expect(uplink.metadata.fineTimestamp == 5000)
    }

    @Test("the reference dntxed becomes the Network Server's transmission event")
    func downlinkTransmitted() throws {
        let message = try Self.decode(StationReferenceMessages.downlinkTransmitted)
        #expect(message == .downlinkTransmitted(GatewayDownlinkTransmitted(
            diid: 1, gatewayEUI: Self.gateway, devEUI: EUI64(0xAA), xtime: 26_740_123_061_508_404, txtime: 451.26543,
            gpsTime: 0, dataRate: .dr5, frequency: Frequency(hertz: 868_100_000))))
    }

    @Test("a dntxed from an older station with seqno only uses it as the diid")
    func downlinkTransmittedSeqno() throws {
        let text = StationReferenceMessages.downlinkTransmitted.replacingOccurrences(of: "\"diid\":1,", with: "")
            .replacingOccurrences(of: "\"seqno\":1", with: "\"seqno\":77")
        guard case .downlinkTransmitted(let event) = try Self.decode(text) else {
            Issue.record("not a dntxed")
            return
        }
        #expect(event.diid == 77)
    }

    @Test("a timesync request keeps the station's txtime for the echo")
    func timeSync() throws {
        let message = try Self.decode(#"{"msgtype":"timesync","txtime":1234567890123}"#)
        #expect(message == .timeSync(StationTimeSyncRequest(txtime: 1_234_567_890_123)))
    }

    @Test("message types Gatehouse does not handle are reported, not refused")
    func unknown() throws {
        #expect(try Self.decode(#"{"msgtype":"dndf","MHdr":96}"#) == .unknown(msgtype: "dndf"))
        #expect(try Self.decode(#"{"msgtype":"rmtsh","rmtsh":[]}"#).msgtype == "rmtsh")
        let long = String(repeating: "x", count: 1000)
        #expect(try Self.decode(#"{"msgtype":"\#(long)"}"#) == .unknown(msgtype: String(repeating: "x", count: 64)))
    }

    @Test("unknown fields are ignored")
    func unknownFields() throws {
        let text = StationReferenceMessages.dataUplink.replacingOccurrences(of: "{\"msgtype\"", with: "{\"future\":[1,{\"a\":null}],\"msgtype\"")
        #expect(try Self.uplink(text).1 == Self.uplink(StationReferenceMessages.dataUplink).1)
    }
}
