import BackendInterfaces
import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import StrictJSON
import Testing

/// What the LNS sends besides router_config: dnmsg, timesync replies, router-info answers.
@Suite("LNS replies")
struct LNSReplyTests {
    static func object(_ text: String) throws -> JSONObject {
        guard case .object(let object) = try StationJSON.parse(Array(text.utf8)) else {
            throw StationProtocolError.notAnObject
        }
        return object
    }

    static let uplink = UplinkRadioMetadata(
        dataRate: .dr5, frequency: Frequency(hertz: 868_100_000), rssi: -50, snr: 9, rctx: 0, xtime: 26_740_123_056_508_404)

    @Test("a class A dnmsg equals the reference example")
    func classAMatchesReference() throws {
        let downlink = GatewayDownlink.classA(
            devEUI: EUI64(0xAA), phyPayload: [0x20], rxDelay: 5,
            rx1: .init(dataRate: .dr5, frequency: Frequency(hertz: 868_100_000)),
            rx2: .init(dataRate: .dr0, frequency: Frequency(hertz: 869_525_000)),
            answering: Self.uplink, diid: 1)
        let text = try DownlinkMessage(downlink, muxTime: Date(timeIntervalSince1970: 1_795_262_442.98)).encoded()
        let ours = try Self.object(text)
        let reference = try Self.object(StationReferenceMessages.downlink)
        for member in reference.members where member.name != "MuxTime" {
            #expect(ours[member.name] == member.value, "field \(member.name)")
        }
        #expect(Set(ours.members.map(\.name)) == Set(reference.members.map(\.name)))
        #expect(text.contains(#""xtime":26740123056508404"#))
    }

    @Test("pdu is upper-case hex and a multicast downlink carries the zero DevEui")
    func pduAndMulticast() throws {
        let downlink = GatewayDownlink.classC(
            devEUI: nil, phyPayload: [0x60, 0xAB, 0xCD], rx2: .init(dataRate: .dr8, frequency: Frequency(hertz: 923_300_000)),
            diid: 9_007_199_254_740_993, priority: 7)
        let ours = try Self.object(try DownlinkMessage(downlink).encoded())
        #expect(ours["pdu"] == .string("60ABCD"))
        #expect(ours["DevEui"] == .string("00-00-00-00-00-00-00-00"))
        #expect(ours["diid"] == .integer(9_007_199_254_740_993))
        #expect(ours["priority"] == .integer(7))
    }

    @Test("class C carries only the RX2 pair and no xtime")
    func classC() throws {
        let downlink = GatewayDownlink(
            devEUI: EUI64(0xAA), phyPayload: [0x60], deviceClass: .c, rxDelay: 1,
            rx1: .init(dataRate: .dr5, frequency: Frequency(hertz: 868_100_000)),
            rx2: .init(dataRate: .dr0, frequency: Frequency(hertz: 869_525_000)),
            uplinkXTime: 123, uplinkRCtx: nil, diid: 2)
        let ours = try Self.object(try DownlinkMessage(downlink).encoded())
        #expect(ours["dC"] == .integer(2))
        #expect(ours["RX2DR"] == .integer(0) && ours["RX2Freq"] == .integer(869_525_000))
        #expect(ours["RX1DR"] == nil && ours["RX1Freq"] == nil && ours["xtime"] == nil && ours["rctx"] == nil)
    }

    @Test("class B carries the ping slot's GPS time and its window as the RX1 pair")
    func classB() throws {
        let downlink = GatewayDownlink(
            devEUI: EUI64(0xAA), phyPayload: [0x60], deviceClass: .b, rxDelay: 1,
            rx1: .init(dataRate: .dr3, frequency: Frequency(hertz: 869_525_000)), rx2: nil,
            uplinkXTime: nil, uplinkRCtx: 0, gpsTime: 1_400_000_000_000_000, diid: 3)
        let ours = try Self.object(try DownlinkMessage(downlink).encoded())
        #expect(ours["dC"] == .integer(1))
        #expect(ours["gpstime"] == .integer(1_400_000_000_000_000))
        #expect(ours["RX1DR"] == .integer(3) && ours["xtime"] == nil)
    }

    @Test("downlinks missing what their class needs are typed errors")
    func invalidDownlinks() {
        let window = GatewayDownlink.Window(dataRate: .dr0, frequency: Frequency(hertz: 869_525_000))
        func field(_ downlink: GatewayDownlink) -> String? {
            do {
                _ = try DownlinkMessage(downlink)
                return nil
            } catch {
                guard case .invalidDownlink(let field, _) = error else { return "\(error)" }
                return field
            }
        }
        let base = GatewayDownlink.classA(devEUI: EUI64(1), phyPayload: [0x60], rxDelay: 1, rx1: window, rx2: nil, answering: Self.uplink, diid: 1)
        var noXTime = base
        noXTime.uplinkXTime = nil
        #expect(field(noXTime) == "uplinkXTime")
        var noWindow = base
        noWindow.rx1 = nil
        #expect(field(noWindow) == "rx1/rx2")
        var empty = base
        empty.phyPayload = []
        #expect(field(empty) == "phyPayload")
        var long = base
        long.phyPayload = [UInt8](repeating: 0, count: 256)
        #expect(field(long) == "phyPayload")
        var delay = base
        delay.rxDelay = 16
        #expect(field(delay) == "rxDelay")
        var classC = base
        classC.deviceClass = .c
        #expect(field(classC) == "rx2")
        var classB = base
        classB.deviceClass = .b
        #expect(field(classB) == "gpsTime")
        #expect(field(base) == nil)
    }

    @Test("a timesync reply echoes txtime and gives GPS time as an integer")
    func timeSync() throws {
        let request = StationTimeSyncRequest(txtime: 1_234_567_890_123)
        let text = try request.reply(gpsTime: 1_400_000_000_123_456).encoded()
        #expect(text == #"{"msgtype":"timesync","txtime":1234567890123,"gpstime":1400000000123456}"#)
    }

    @Test("GPS time counts from 1980-01-06 and runs 18 s ahead of UTC")
    func gpsTime() {
        #expect(TimeSyncReply.gpsMicroseconds(at: Date(timeIntervalSince1970: 315_964_800), leapSeconds: 0) == 0)
        // 2026-01-01T00:00:00Z = 1767225600 Unix seconds.
        let expected = Int64(1_767_225_600 - 315_964_800 + 18) * 1_000_000
        #expect(TimeSyncReply.gpsMicroseconds(at: Date(timeIntervalSince1970: 1_767_225_600)) == expected)
        #expect(TimeSyncReply.gpsMicroseconds(at: Date(timeIntervalSince1970: 0)) == nil)
    }

    @Test("router-info requests read ID6, hex and integer EUIs")
    func routerInfoRequests() throws {
        let eui = EUI64(0x0016_C001_FF10_A235)
        for text in [#"{"router":"16:c001:ff10:a235"}"#, #"{"router":"0016C001FF10A235"}"#, #"{"router":6403564294414901}"#] {
            #expect(try RouterInfoRequest(decoding: Array(text.utf8)).router == eui)
        }
        #expect(try RouterInfoRequest(decoding: Array(#"{"router":18446744073709551615}"#.utf8)).router == EUI64(.max))
        #expect(throws: StationProtocolError.outOfRange(field: "router", value: "-1", allowed: "0...18446744073709551615")) {
            try RouterInfoRequest(decoding: Array(#"{"router":-1}"#.utf8))
        }
        #expect(throws: StationProtocolError.missingField("router")) { try RouterInfoRequest(decoding: Array("{}".utf8)) }
    }

    @Test("the router-info answer names the router in ID6 and the traffic URI")
    func routerInfoResponse() throws {
        let eui = EUI64(0x0016_C001_FF10_A235)
        let server = try BasicsStationURI("wss://localhost:8887", for: .tc)
        let response = RouterInfoResponse.traffic(router: eui, muxs: "any-id", uri: try StationTrafficURI(server: server, gateway: eui))
        #expect(try response.encoded()
            == #"{"router":"16:c001:ff10:a235","muxs":"any-id","uri":"wss://localhost:8887/traffic/0016C001FF10A235"}"#)
        #expect(try RouterInfoResponse.rejected(reason: "unknown gateway").encoded() == #"{"error":"unknown gateway"}"#)
    }

    @Test("traffic URIs need ws or wss, a port and a path, under 128 characters")
    func trafficURIs() {
        for bad in ["wss://localhost:8887", "wss://localhost:8887/", "https://localhost:8887/traffic", "wss://localhost/traffic",
                    "wss://localhost:8887/a b", "wss://" + String(repeating: "h", count: 120) + ":1/x"] {
            #expect(throws: StationEncodingError.self, "\(bad)") { try StationTrafficURI(bad) }
        }
        #expect((try? StationTrafficURI("ws://127.0.0.1:8887/traffic/0016C001FF10A235"))?.path == "/traffic/0016C001FF10A235")
    }
}
