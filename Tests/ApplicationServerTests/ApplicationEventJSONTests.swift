import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

@Suite("Application event JSON")
struct ApplicationEventJSONTests {
    @Test("an uplink event is exactly the documented bytes")
    func uplinkBytes() throws {
        let event = try UplinkDecryption.decrypt(Fixtures.uplink(), session: Fixtures.session, applicationID: Fixtures.applicationID)
        let expected = #"{"type":"uplink","time":"2024-05-01T12:00:00.262Z","application_id":"weather-stations","#
            + #""dev_eui":"0004A30B001C0530","dev_addr":"26011BDA","f_port":10,"f_cnt":42,"payload":"AQID","#
            + #""confirmed":false,"data_rate":5,"frequency":868100000,"gateways":[{"gateway_eui":"B827EBFFFE61A0B2","#
            + #""rssi":-57,"snr":9.5,"time":"2024-05-01T12:00:00.250Z"}]}"#
        #expect(ApplicationEvent.uplink(event).json == expected)
        #expect(ApplicationEvent.uplink(event).jsonBytes == Array(expected.utf8))
    }

    @Test("an error event is exactly the documented bytes")
    func errorBytes() {
        let network = NetworkEvent(
            kind: .replayDropped, devEUI: Fixtures.devEUI, devAddr: Fixtures.devAddr, detail: "FCnt 41 does not advance past 42",
            time: Fixtures.t0.addingTimeInterval(1))
        let event = ApplicationEvent.error(ApplicationErrorEvent(network, applicationID: Fixtures.applicationID))
        #expect(event.json == #"{"type":"error","time":"2024-05-01T12:00:01.000Z","application_id":"weather-stations","#
            + #""dev_eui":"0004A30B001C0530","dev_addr":"26011BDA","error":"replay_dropped","detail":"FCnt 41 does not advance past 42"}"#)
    }

    @Test("join, downlink and unattributed error events have their fixed members")
    func otherTypes() {
        let join = ApplicationEvent.join(JoinEvent(
            applicationID: nil, devEUI: Fixtures.devEUI, joinEUI: Fixtures.joinEUI, devAddr: Fixtures.devAddr, macVersion: .v1_1, joinedAt: Fixtures.t0))
        #expect(join.json == #"{"type":"join","time":"2024-05-01T12:00:00.000Z","application_id":null,"dev_eui":"0004A30B001C0530","#
            + #""dev_addr":"26011BDA","join_eui":"70B3D57ED0000001","mac_version":"1.1"}"#)

        let id = UUID(uuidString: "0A1B2C3D-4E5F-4061-8273-849506172839")!
        let queued = ApplicationEvent.downlinkQueued(DownlinkQueuedEvent(
            applicationID: Fixtures.applicationID, devEUI: Fixtures.devEUI, downlinkID: id, fPort: 2, fCnt: 7, confirmed: true, queuedAt: Fixtures.t0))
        #expect(queued.json == #"{"type":"downlink_queued","time":"2024-05-01T12:00:00.000Z","application_id":"weather-stations","#
            + #""dev_eui":"0004A30B001C0530","downlink_id":"0a1b2c3d-4e5f-4061-8273-849506172839","f_port":2,"f_cnt":7,"confirmed":true}"#)

        let types = ApplicationDownlinkEvent.Outcome.allOutcomes.map { outcome in
            ApplicationEvent.downlinkOutcome(DownlinkOutcomeEvent(
                ApplicationDownlinkEvent(id: id, devEUI: Fixtures.devEUI, outcome: outcome, detail: "", time: Fixtures.t0), applicationID: nil)).type
        }
        #expect(types == ["downlink_sent", "downlink_acked", "downlink_nacked", "downlink_dropped"])
        let acked = ApplicationEvent.downlinkOutcome(DownlinkOutcomeEvent(
            ApplicationDownlinkEvent(id: id, devEUI: Fixtures.devEUI, outcome: .acknowledged, time: Fixtures.t0), applicationID: nil))
        #expect(acked.json == #"{"type":"downlink_acked","time":"2024-05-01T12:00:00.000Z","application_id":null,"#
            + #""dev_eui":"0004A30B001C0530","downlink_id":"0a1b2c3d-4e5f-4061-8273-849506172839","detail":""}"#)

        let malformed = ApplicationEvent.error(ApplicationErrorEvent(
            NetworkEvent(kind: .malformedFrame, devEUI: nil, devAddr: nil, detail: "MHDR \"major\" 3\nis not LoRaWAN R1\u{1}", time: Fixtures.t0),
            applicationID: nil))
        #expect(malformed.json == #"{"type":"error","time":"2024-05-01T12:00:00.000Z","application_id":null,"dev_eui":null,"#
            + #""dev_addr":null,"error":"malformed_frame","detail":"MHDR \"major\" 3\nis not LoRaWAN R1\u0001"}"#)
    }

    @Test("every event is valid JSON whose members come in the documented order")
    func parsesAndOrders() throws {
        let event = ApplicationEvent.uplink(try UplinkDecryption.decrypt(Fixtures.uplink(), session: Fixtures.session, applicationID: nil))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(event.jsonBytes)) as? [String: Any])
        #expect(object["payload"] as? String == "AQID")
        #expect(object["application_id"] is NSNull)
        let keys = ["type", "time", "application_id", "dev_eui", "dev_addr", "f_port", "f_cnt", "payload", "confirmed", "data_rate", "frequency", "gateways"]
        let positions = try keys.map { key in try #require(event.json.range(of: "\"\(key)\":")).lowerBound }
        #expect(positions == positions.sorted())
        #expect(event.json == event.json, "deterministic")
    }

    @Test("times are UTC with milliseconds, before 1970, on leap days, and never rounded up")
    func timestamps() {
        func time(_ seconds: TimeInterval) -> String {
            ApplicationEvent.join(JoinEvent(
                applicationID: nil, devEUI: Fixtures.devEUI, joinEUI: Fixtures.joinEUI, devAddr: Fixtures.devAddr, macVersion: .v1_0_3,
                joinedAt: Date(timeIntervalSince1970: seconds))).json.split(separator: "\"")[7].description
        }
        #expect(time(0) == "1970-01-01T00:00:00.000Z")
        #expect(time(-0.001) == "1969-12-31T23:59:59.999Z")
        #expect(time(951_782_400) == "2000-02-29T00:00:00.000Z")
        #expect(time(1_709_208_000.5) == "2024-02-29T12:00:00.500Z")
        #expect(time(1_714_564_800.9999) == "2024-05-01T12:00:00.999Z")
        #expect(time(4_102_444_799.123) == "2099-12-31T23:59:59.123Z")
    }

    @Test("non-integral and non-finite signal values")
    func numbers() throws {
        var uplink = Fixtures.uplink()
        uplink.receptions = [
            GatewayReception(gatewayEUI: Fixtures.gatewayEUI, rssi: -120.25, snr: -7, time: Fixtures.t0),
            GatewayReception(gatewayEUI: EUI64(1), rssi: .nan, snr: 0.1, time: Fixtures.t0),
        ]
        let json = ApplicationEvent.uplink(try UplinkDecryption.decrypt(uplink, session: Fixtures.session, applicationID: nil)).json
        #expect(json.contains(#""gateway_eui":"B827EBFFFE61A0B2","rssi":-120.25,"snr":-7,"#))
        #expect(json.contains(#""gateway_eui":"0000000000000001","rssi":null,"snr":0.1,"#))
    }

    @Test("the stream's lag marker is JSON too")
    func laggedMarker() {
        #expect(EventStreamItem.lagged(dropped: 3).json == Array(#"{"type":"lagged","dropped":3}"#.utf8))
    }
}

extension ApplicationDownlinkEvent.Outcome {
    static let allOutcomes: [Self] = [.sent, .acknowledged, .notAcknowledged, .dropped]
}
