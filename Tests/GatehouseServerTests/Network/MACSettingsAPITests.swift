import Foundation
import GatehouseServer
import LoRaWAN
import Storage
import NetworkServer
import Testing

/// `/api/v1/devices/{devEUI}/mac-settings` and `/force-rejoin` through the real HTTPS API with curl,
/// on a real SQLite file: desired settings are stored and shown beside the current ones, every bad
/// value is a 4xx naming its member, and what was set is still there after a restart.
@Suite("MAC settings: API")
struct MACSettingsAPITests {
    private typealias S = MACSettingsTestServer

    private func error(_ reply: HTTPReply) throws -> (code: String, message: String) {
        let detail = try #require(try APIClient.object(reply)["error"] as? [String: Any])
        return (try #require(detail["code"] as? String), try #require(detail["message"] as? String))
    }

    @Test("GET shows current and desired settings; PUT stores the wish and shows each change queued; both survive a restart")
    func readAndSet() async throws {
        try await S.run { endpoint, key, _ in
            let client = APIClient(endpoint: endpoint, apiKey: key)
            let path = "/devices/\(S.legacy)/mac-settings"
            let initial = try await client.call("GET", path)
            #expect(initial.status == 200, "\(initial.body)")
            let object = try APIClient.object(initial)
            #expect(object["mac_version"] as? String == "1.0.3" && object["region"] as? String == "EU868")
            #expect(object["joined"] as? Bool == true && object["in_sync"] as? Bool == true)
            let current = try #require(object["current"] as? [String: Any])
            #expect(current["rx2_data_rate"] as? Int == 0 && current["rx2_frequency"] as? Int == 869_525_000 && current["rx1_delay"] as? Int == 1)
            #expect((current["channels"] as? [[String: Any]])?.map { $0["index"] as? Int } == [0, 1, 2])
            let desired = try #require(object["desired"] as? [String: Any])
            #expect(desired["rx2_data_rate"] is NSNull && (desired["channels"] as? [Any])?.isEmpty == true)

            let wish = JoinTestData.json([
                "rx2_data_rate": 3, "rx1_delay": 2,
                "channels": [["index": 3, "frequency": 867_100_000, "min_dr": 0, "max_dr": 5]],
            ])
            let set = try await client.call("PUT", path, json: wish)
            #expect(set.status == 200, "\(set.body)")
            let changes = try #require(try APIClient.object(set)["changes"] as? [[String: Any]])
            #expect(changes.map { $0["setting"] as? String } == ["rx1_delay", "rx_parameters", "channel"])
            #expect(changes.map { $0["state"] as? String } == ["queued", "queued", "queued"])
            #expect(changes[1]["request"] as? String == "RXParamSetupReq(RX1DROffset: 0, RX2DataRate: DR3, Frequency: 869525000 Hz)")
            #expect(changes[2]["channel"] as? Int == 3)
            let shown = try APIClient.object(try await client.call("GET", path))
            #expect((shown["desired"] as? [String: Any])?["rx2_data_rate"] as? Int == 3)
            #expect(shown["in_sync"] as? Bool == false)
        } check: { services in
            let device = try #require(try await services.store.networkDevices.device(S.legacy))
            #expect(device.desiredMACSettings.rx2DataRate == .dr3)
            #expect(device.desiredMACSettings.rx1Delay == RXTimingDelay(rawValue: 2))
            #expect(device.desiredMACSettings.channels == [RegionalChannel(index: 3, frequency: Frequency(hertz: 867_100_000), dataRates: .dr0 ... .dr5)])
        }
    }

    @Test("bad values are 400s naming the member, unknown devices 404; nothing is stored")
    func refusals() async throws {
        try await S.run { endpoint, key, _ in
            let client = APIClient(endpoint: endpoint, apiKey: key)
            let path = "/devices/\(S.legacy)/mac-settings"
            #expect(try await client.call("PUT", path, json: JoinTestData.json(["max_duty_cycle": 4])).status == 200)
            let channel: [String: Any] = ["index": 3, "frequency": 867_100_000, "min_dr": 0, "max_dr": 5]
            let cases: [([String: Any], String)] = [
                (["rx2_frequency": 915_000_000], "rx2_frequency: 915 MHz is outside the EU868 band 863 MHz to 870 MHz"),
                (["rx2_frequency": 869_525_050], "rx2_frequency: a frequency is a multiple of 100 Hz"),
                (["rx2_frequency": -1], "rx2_frequency: is a frequency in Hz"),
                (["rx1_dr_offset": 9], "rx1_dr_offset: is 0 to 7"),
                (["rx1_dr_offset": 6], "rx1_dr_offset: EU868 allows RX1DROffset 0 to 5"),
                (["rx2_data_rate": 8], "rx2_data_rate: DR8 is not a downlink data rate in EU868"),
                (["rx1_delay": 0], "rx1_delay: is 1 to 15 seconds"),
                (["rx1_delay": "2"], "rx1_delay: has the wrong JSON type"),
                (["rx2_datarate": 3], "rx2_datarate: is not a member of this request (expected channels, max_duty_cycle, rejoin, rx1_delay, rx1_dr_offset, rx2_data_rate, rx2_frequency)"),
                (["channels": [channel.merging(["index": 1]) { $1 }]], "channels[0].index: EU868 channels 3 to 15 can be defined; 0 to 2 are its defaults"),
                (["channels": [channel, channel]], "channels[1].index: channel 3 is listed twice"),
                (["channels": [channel.merging(["min_dr": 5, "max_dr": 0]) { $1 }]], "channels[0].max_dr: is below min_dr"),
                (["channels": [channel.merging(["enabled": true]) { $1 }]], "channels[0].enabled: is not a member (expected frequency, index, max_dr, min_dr)"),
                (["channels": [["index": 3, "frequency": 867_100_000, "min_dr": 0]]], "channels[0].max_dr: is missing"),
                (["rejoin": ["max_time_n": 1, "max_count_n": 1]], "rejoin: RejoinParamSetupReq is LoRaWAN 1.1 only; the device speaks 1.0.3"),
                (["rejoin": ["max_time_n": 16, "max_count_n": 1]], "rejoin.max_time_n: is 0 to 15"),
            ]
            for (body, message) in cases {
                let reply = try await client.call("PUT", path, json: JoinTestData.json(body))
                #expect(reply.status == 400, "\(body): \(reply.body)")
                #expect(try error(reply) == ("invalid_field", message), "\(body)")
            }
            let kept = try APIClient.object(try await client.call("GET", path))
            #expect((kept["desired"] as? [String: Any])?["max_duty_cycle"] as? Int == 4, "a refused PUT stores nothing")

            let unknown = try await client.call("GET", "/devices/70B3D57ED0000AFF/mac-settings")
            #expect(unknown.status == 404)
            #expect(try error(unknown) == ("not_found", "device 70B3D57ED0000AFF is not registered"))
            #expect(try await client.call("PUT", "/devices/70B3D57ED0000AFF/mac-settings", json: "{}").status == 404)
            #expect(try await client.call("GET", "/devices/70B3D57E/mac-settings").status == 400)
        }
    }

    @Test("a device that has not joined: no current settings; region-bound wishes wait for a region, the others are kept")
    func notJoined() async throws {
        try await S.run { endpoint, key, _ in
            let client = APIClient(endpoint: endpoint, apiKey: key)
            let path = "/devices/\(S.notJoined)/mac-settings"
            let shown = try APIClient.object(try await client.call("GET", path))
            #expect(shown["joined"] as? Bool == false && shown["current"] is NSNull && shown["region"] is NSNull)
            let regionBound = try await client.call("PUT", path, json: JoinTestData.json(["rx2_data_rate": 3]))
            #expect(regionBound.status == 400)
            #expect(try error(regionBound).message
                == "rx2_data_rate: the device's region is not known until it joins; give the device a region or wait for its join")
            let kept = try await client.call("PUT", path, json: JoinTestData.json(["max_duty_cycle": 2, "rejoin": ["max_time_n": 10, "max_count_n": 4]]))
            #expect(kept.status == 200, "\(kept.body)")
            #expect((try APIClient.object(kept)["changes"] as? [Any])?.isEmpty == true)
        } check: { services in
            let device = try #require(try await services.store.networkDevices.device(S.notJoined))
            #expect(device.desiredMACSettings.maxDutyCycle == MaxDutyCycle(rawValue: 2))
            #expect(device.desiredMACSettings.rejoin?.maxTimeN == RejoinMaxTimeN(rawValue: 10))
        }
    }

    @Test("force-rejoin: 202 queued for a 1.1 device; 409 for 1.0, 404 without a session, 400 for bad members")
    func forceRejoin() async throws {
        try await S.run { endpoint, key, _ in
            let client = APIClient(endpoint: endpoint, apiKey: key)
            let queued = try await client.call("POST", "/devices/\(S.current)/force-rejoin", json: JoinTestData.json(["rejoin_type": 2, "max_retries": 3]))
            #expect(queued.status == 202, "\(queued.body)")
            let force = try #require(try APIClient.object(queued)["force_rejoin"] as? [String: Any])
            #expect(force["state"] as? String == "queued" && force["rejoin_type"] as? Int == 2 && force["max_retries"] as? Int == 3)
            #expect(force["data_rate"] as? Int == 0 && force["period"] as? Int == 0)
            #expect(try await client.call("POST", "/devices/\(S.current)/force-rejoin").status == 202, "an empty body takes the defaults")

            let legacy = try await client.call("POST", "/devices/\(S.legacy)/force-rejoin", json: "{}")
            #expect(legacy.status == 409)
            #expect(try error(legacy) == ("conflict", "mac_version: ForceRejoinReq is LoRaWAN 1.1 only; device \(S.legacy) speaks 1.0.3"))
            let notJoined = try await client.call("POST", "/devices/\(S.notJoined)/force-rejoin", json: "{}")
            #expect(notJoined.status == 404)
            #expect(try error(notJoined) == ("no_session", "device \(S.notJoined) has no session: it has not joined"))
            let cases: [([String: Any], String)] = [
                (["rejoin_type": 1], "rejoin_type: is 0 or 2 (rejoin-request type 0 or 2)"),
                (["data_rate": 12], "data_rate: DR12 is not an uplink data rate in EU868"),
                (["period": 8], "period: is 0 to 7"),
                (["retries": 1], "retries: is not a member of this request (expected data_rate, max_retries, period, rejoin_type)"),
            ]
            for (body, message) in cases {
                let reply = try await client.call("POST", "/devices/\(S.current)/force-rejoin", json: JoinTestData.json(body))
                #expect(reply.status == 400, "\(body): \(reply.body)")
                #expect(try error(reply).message == message)
            }
        } check: { services in
            let session = try #require(try await services.store.networkSessions.session(devEUI: S.current))
            #expect(session.macReconciliation.forceRejoin?.rejoinType == .type0, "the last request replaced the first")
        }
    }
}
