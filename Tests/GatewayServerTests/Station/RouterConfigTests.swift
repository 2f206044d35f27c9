import Foundation
import GatewayServer
import LoRaWAN
import StrictJSON
import Testing

/// `router_config` built from the regional parameters.
@Suite("router_config")
struct RouterConfigTests {
    static let muxTime = Date(timeIntervalSince1970: 1_795_262_442.98)

    static func object(_ text: String) throws -> JSONObject {
        guard case .object(let object) = try StationJSON.parse(Array(text.utf8)) else {
            throw StationProtocolError.notAnObject
        }
        return object
    }

    static func muxTimeRemoved(_ object: JSONObject) -> JSONObject {
        JSONObject(object.members.filter { $0.name != "MuxTime" })
    }

    @Test("EU868 equals the reference example field by field")
    func eu868MatchesReference() throws {
        let config = RouterConfig(parameters: .eu868, muxTime: Self.muxTime, disablesStationRegulatoryChecks: true)
        let ours = try Self.object(try config.encoded())
        let reference = try Self.object(StationReferenceMessages.routerConfigEU868)
        for member in reference.members where member.name != "MuxTime" {
            #expect(ours[member.name] == member.value, "field \(member.name)")
        }
        #expect(Self.muxTimeRemoved(ours) == Self.muxTimeRemoved(reference))
        guard case .float(let sent) = ours["MuxTime"] else {
            Issue.record("MuxTime is not a float")
            return
        }
        #expect(abs(sent - 1_795_262_442.98) < 1e-6)
    }

    @Test("by default the station's duty-cycle, LBT and dwell-time checks stay on, and MuxTime is optional")
    func regulatoryChecksStayOn() throws {
        let ours = try Self.object(try RouterConfig(parameters: .eu868).encoded())
        #expect(ours["nocca"] == nil && ours["nodc"] == nil && ours["nodwell"] == nil && ours["MuxTime"] == nil)
        #expect(ours["hwspec"] == .string("sx1301/1"))
    }

    @Test("numbers are written as the station expects: integers plain, max_eirp and MuxTime with a fraction")
    func numberForms() throws {
        let text = try RouterConfig(parameters: .eu868, muxTime: Self.muxTime).encoded()
        #expect(text.contains(#""freq_range":[863000000,870000000]"#))
        #expect(text.contains(#""max_eirp":16.0"#))
        #expect(text.contains(#""MuxTime":1795262442.98"#))
        #expect(!text.contains("e+"))
        #expect(text.hasPrefix(#"{"msgtype":"router_config""#))
    }

    @Test("US915 describes sub-band 2 with the 500 kHz channel and downlink-only DR8-DR13")
    func us915() throws {
        let ours = try Self.object(try RouterConfig(parameters: .us915).encoded())
        #expect(ours["region"] == .string("US915"))
        #expect(ours["freq_range"] == .array([.integer(902_000_000), .integer(928_000_000)]))
        guard case .array(let rates) = ours["DRs"], rates.count == 16 else {
            Issue.record("DRs is not 16 entries")
            return
        }
        let triple: ([Int64]) -> JSONValue = { .array($0.map(JSONValue.integer)) }
        #expect(rates[0] == triple([10, 125, 0]))
        #expect(rates[3] == triple([7, 125, 0]))
        #expect(rates[4] == triple([8, 500, 0]))
        #expect(rates[8] == triple([12, 500, 1]))
        #expect(rates[13] == triple([7, 500, 1]))
        #expect(rates[14] == triple([-1, 0, 0]))
        guard case .array(let channels) = ours["upchannels"] else {
            Issue.record("no upchannels")
            return
        }
        #expect(channels.count == 9)
        #expect(channels.first == triple([903_900_000, 0, 3]))
        #expect(channels.contains(triple([904_600_000, 4, 4])))
        guard case .array(let confs) = ours["sx1301_conf"], case .object(let conf) = confs.first else {
            Issue.record("no sx1301_conf")
            return
        }
        #expect(conf["chan_Lora_std"] == .object(JSONObject([
            .init("enable", .bool(true)), .init("radio", .integer(0)), .init("if", .integer(300_000)),
            .init("bandwidth", .integer(500_000)), .init("spread_factor", .integer(8)),
        ])))
        #expect(conf["chan_FSK"] == .object(JSONObject([.init("enable", .bool(false))])))
        #expect(ours["max_eirp"] == .float(30))
    }

    @Test("every region encodes within the frame limit, with every uplink channel inside freq_range")
    func allRegions() throws {
        for region in Region.allCases {
            let text = try RouterConfig(parameters: region.parameters, muxTime: Self.muxTime).encoded()
            #expect(text.utf8.count < StationFrameLimits.maximumOutboundFrameBytes)
            let ours = try Self.object(text)
            #expect(ours["region"] == .string(region.stationName))
            guard case .array(let range) = ours["freq_range"], case .integer(let low) = range.first, case .integer(let high) = range.last,
                case .array(let channels) = ours["upchannels"], !channels.isEmpty
            else {
                Issue.record("\(region): no freq_range or upchannels")
                continue
            }
            for case .array(let channel) in channels {
                guard case .integer(let frequency) = channel.first else { continue }
                #expect((low...high).contains(frequency), "\(region) channel \(frequency)")
            }
        }
    }

    @Test("a MuxTime that is not a time after 1970 is refused")
    func badMuxTime() {
        #expect(throws: StationEncodingError.self) {
            try RouterConfig(parameters: .eu868, muxTime: Date(timeIntervalSince1970: -1)).encoded()
        }
    }
}
