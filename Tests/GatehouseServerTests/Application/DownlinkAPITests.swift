import ApplicationServer
import BackendInterfaces
import Foundation
import GatehouseServer
import LoRaWAN
import Storage
import Synchronization
import Testing

/// `/api/v1/devices/{devEUI}/downlinks`: pushed downlinks are encrypted with the AppSKey of the
/// Network Server's current session and queued there; refusals are 4xx with a JSON body.
@Suite("Downlink API")
struct DownlinkAPITests {
    private typealias H = ApplicationAPIHarness
    static let devEUI = EUI64(0x0004_A30B_001C_0530)
    static let sessionKeyID: [UInt8] = [0x53, 0x4B, 0x00, 0x01]
    static let appSKey = AppSKey(bytes: [0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6, 0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C])!
    static let devAddr = DevAddr(0x2601_1BDA)

    /// A device that joined: its AppSKey session in the store, its session at the Network Server.
    private func joined(_ api: ApplicationAPIHarness, nextFCnt: UInt32 = 7, maximumPayloadSize: Int = 51) async throws {
        try await api.services.store.applicationSessions.store(
            ApplicationSession(devEUI: Self.devEUI, devAddr: Self.devAddr, sessionKeyID: Self.sessionKeyID, appSKey: Self.appSKey, createdAt: Date()))
        api.network.setSession(Self.devEUI, sessionKeyID: Self.sessionKeyID, nextFCnt: nextFCnt, maximumPayloadSize: maximumPayloadSize)
    }

    @Test("push answers 201 with the id and FCnt; the Network Server holds the encrypted frame; list decrypts it; clear empties")
    func pushListClear() async throws {
        try await withApplicationAPI { api in
            try await joined(api)
            let pushed = try await api.call("POST", "/devices/0004A30B001C0530/downlinks", json: H.json(["f_port": 10, "payload": "AQID", "confirmed": true]))
            #expect(pushed.status == 201, "\(pushed.body)")
            let object = try pushed.object()
            #expect(object["f_cnt"] as? Int == 7)
            #expect(object["f_port"] as? Int == 10)
            #expect(object["confirmed"] as? Bool == true)
            let id = try #require(object["id"] as? String)

            let queued = try await api.network.queued(devEUI: Self.devEUI)
            #expect(queued.count == 1)
            #expect(queued.first?.id.uuidString.lowercased() == id)
            let expected = PayloadCipher.cryptFRMPayload([1, 2, 3], key: Self.appSKey, direction: .downlink, devAddr: Self.devAddr, fCnt: 7)
            #expect(queued.first?.encryptedFRMPayload == expected)

            #expect(try await api.call("POST", "/devices/0004A30B001C0530/downlinks", json: H.json(["f_port": 11, "payload": ""])).status == 201)
            let list = try await api.call("GET", "/devices/0004A30B001C0530/downlinks")
            #expect(list.status == 200)
            let downlinks = try #require(try list.object()["downlinks"] as? [[String: Any]])
            #expect(downlinks.map { $0["payload"] as? String } == ["AQID", ""])
            #expect(downlinks.map { $0["f_cnt"] as? Int } == [7, 8])
            #expect(downlinks.map { $0["confirmed"] as? Bool } == [true, false])

            #expect(try await api.call("DELETE", "/devices/0004A30B001C0530/downlinks").status == 204)
            #expect((try await api.call("GET", "/devices/0004A30B001C0530/downlinks").object()["downlinks"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a push publishes downlink_queued on the live stream")
    func pushPublishes() async throws {
        try await withApplicationAPI { api in
            try await joined(api)
            let subscription = api.application.stream.subscribe(.all)
            #expect(try await api.call("POST", "/devices/0004A30B001C0530/downlinks", json: H.json(["f_port": 1, "payload": "AA=="])).status == 201)
            var iterator = subscription.makeAsyncIterator()
            guard case .event(let encoded) = await iterator.next() else { Issue.record("no event"); return }
            let event = encoded.event
            #expect(event.type == "downlink_queued")
            #expect(event.devEUI == Self.devEUI)
        }
    }

    @Test("refusals: bad FPort or base64 400, unknown member 400, no session 404, too long for the data rate 422, Network Server refusal 409")
    func refusals() async throws {
        try await withApplicationAPI { api in
            let path = "/devices/0004A30B001C0530/downlinks"
            let noSession = try await api.call("POST", path, json: H.json(["f_port": 1, "payload": "AQID"]))
            #expect(noSession.status == 404)
            #expect(try noSession.error() == ("no_session", "device 0004A30B001C0530 has no session: it has not joined"))

            try await joined(api, maximumPayloadSize: 3)
            let cases: [(String, Int, String)] = [
                (H.json(["f_port": 0, "payload": "AQID"]), 400, "f_port: FPort 0 is not an application port (1-223)"),
                (H.json(["f_port": 224, "payload": "AQID"]), 400, "f_port: FPort 224 is not an application port (1-223)"),
                (H.json(["f_port": 1, "payload": "not base64!"]), 400, "payload: the payload is not valid base64"),
                (H.json(["fPort": 1, "payload": "AQID"]), 400, "fPort: is not a member of this request (expected confirmed, f_port, payload)"),
                (H.json(["f_port": "1", "payload": "AQID"]), 400, "f_port: has the wrong JSON type"),
                (H.json(["f_port": 1, "payload": "AQIDBA=="]), 422, "the payload is 4 bytes; the device's current data rate allows 3"),
            ]
            for (body, status, message) in cases {
                let reply = try await api.call("POST", path, json: body)
                #expect(reply.status == status, "\(body): \(reply.body)")
                #expect(try reply.error().message == message, "\(body)")
            }
            #expect(try await api.call("POST", "/devices/0004A30B/downlinks", json: H.json(["f_port": 1, "payload": "AQID"])).status == 400)

            api.network.refusal.withLock { $0 = "downlink counter 3 is already spent (next is 9)" }
            let refused = try await api.call("POST", path, json: H.json(["f_port": 1, "payload": "AQ=="]))
            #expect(refused.status == 409)
            #expect(try refused.error().message.contains("already spent"))
            #expect(try await api.call("GET", path).status == 409)
        }
    }

    @Test("a session at the Network Server whose AppSKey is not here is 409: nothing is encrypted with another session's key")
    func sessionNotReady() async throws {
        try await withApplicationAPI { api in
            try await joined(api)
            api.network.setSession(Self.devEUI, sessionKeyID: [0x99], nextFCnt: 0)
            let reply = try await api.call("POST", "/devices/0004A30B001C0530/downlinks", json: H.json(["f_port": 1, "payload": "AQ=="]))
            #expect(reply.status == 409)
            #expect(try await api.network.queued(devEUI: Self.devEUI).isEmpty)
        }
    }
}
