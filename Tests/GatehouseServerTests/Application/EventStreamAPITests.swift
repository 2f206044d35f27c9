import ApplicationServer
import AsyncHTTPClient
import BackendInterfaces
import Foundation
import GatehouseServer
import LoRaWAN
import NIOCore
import NIOHTTP1
import Testing

/// `GET /api/v1/events`: the live stream as server-sent events over a real listener.
@Suite("Event stream API")
struct EventStreamAPITests {
    private typealias H = ApplicationAPIHarness
    static let deviceA = EUI64(0x0004_A30B_001C_0530)
    static let deviceB = EUI64(0x0004_A30B_001C_0531)

    private func streamRequest(_ api: ApplicationAPIHarness, query: String = "") -> HTTPClientRequest {
        var request = HTTPClientRequest(url: api.baseURL + "/api/v1/events" + query)
        request.headers.add(name: "Authorization", value: "Bearer \(api.apiKey)")
        request.headers.add(name: "Accept", value: "text/event-stream")
        return request
    }

    /// Two applications, `a` with `deviceA` and `b` with `deviceB`.
    private func twoApplications(_ api: ApplicationAPIHarness) async throws {
        for (id, device) in [("a", "0004A30B001C0530"), ("b", "0004A30B001C0531")] {
            #expect(try await api.call("POST", "/applications", json: H.json(["id": id, "name": id])).status == 201)
            #expect(try await api.call("PUT", "/applications/\(id)/devices/\(device)").status == 200)
        }
    }

    private func replay(_ device: EUI64, fCnt: Int) -> NetworkEvent {
        NetworkEvent(kind: .replayDropped, devEUI: device, devAddr: DevAddr(0x2601_1BDA), detail: "FCnt \(fCnt) does not advance", time: Date())
    }

    @Test("an application's stream receives its events as `event: <type>` and `data: <json>`, and not another application's")
    func scopedStream() async throws {
        try await withApplicationAPI { api in
            try await twoApplications(api)
            let response = try await api.client.execute(streamRequest(api, query: "?application=a"), timeout: .seconds(10))
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type") == "text/event-stream; charset=utf-8")
            #expect(response.headers.first(name: "Cache-Control") == "no-store")
            #expect(await eventually { api.application.stream.subscriberCount == 1 })

            // Through the real path: the Network Server's news of a dropped frame becomes an `error` event.
            await api.application.server.networkEvent(replay(Self.deviceB, fCnt: 1))
            await api.application.server.networkEvent(replay(Self.deviceA, fCnt: 2))
            let event = try await within(.seconds(10), "the first event") {
                var stream = EventStreamReading(response)
                return try await stream.next()
            }
            #expect(event?.type == "error")
            let data = try #require(try JSONSerialization.jsonObject(with: Data((event?.data ?? "").utf8)) as? [String: Any])
            #expect(data["application_id"] as? String == "a")
            #expect(data["dev_eui"] as? String == "0004A30B001C0530")
            #expect(data["error"] as? String == "replay_dropped")
        }
    }

    @Test("the stream of all events carries every application's, in order, and the stream opens with retry and a comment")
    func allEvents() async throws {
        try await withApplicationAPI { api in
            try await twoApplications(api)
            let response = try await api.client.execute(streamRequest(api), timeout: .seconds(10))
            #expect(response.status == .ok)
            #expect(await eventually { api.application.stream.subscriberCount == 1 })
            await api.application.server.networkEvent(replay(Self.deviceB, fCnt: 1))
            await api.application.server.networkEvent(replay(Self.deviceA, fCnt: 2))
            let (events, text) = try await within(.seconds(10), "two events") {
                var stream = EventStreamReading(response)
                var events: [ServerSentEventReader.Event] = []
                while events.count < 2, let event = try await stream.next() { events.append(event) }
                return (events, stream.text)
            }
            #expect(events.map(\.type) == ["error", "error"])
            #expect(events.map { $0.data.contains("\"application_id\":\"b\"") } == [true, false])
            #expect(text.hasPrefix("retry: 5000\n: gatehouse events, all\n\n"))
            #expect(text.contains("event: error\ndata: {\"type\":\"error\","))
        }
    }

    @Test("an idle stream sends a comment heartbeat; a client that goes away ends its subscription")
    func heartbeatAndDisconnect() async throws {
        try await withApplicationAPI(heartbeat: .milliseconds(100)) { api in
            let response = try await api.client.execute(streamRequest(api), timeout: .seconds(10))
            #expect(await eventually { api.application.stream.subscriberCount == 1 })
            let sawHeartbeat = try await within(.seconds(10), "a heartbeat") {
                var stream = EventStreamReading(response)
                return try await stream.readUntil(contains: ": heartbeat\n\n")
            }
            #expect(sawHeartbeat)
            // The client drops the response: its connection closes, the next write fails, the server lets go.
            _ = consume response
            #expect(await eventually { api.application.stream.subscriberCount == 0 }, "the subscription outlived its client")
        }
    }

    @Test("refusals before streaming: unknown application 404, bad id 400, no API key 401, all as JSON")
    func refusals() async throws {
        try await withApplicationAPI { api in
            let unknown = try await api.call("GET", "/events?application=nope")
            #expect(unknown.status == 404)
            #expect(try unknown.error() == ("not_found", "application nope does not exist"))
            let bad = try await api.call("GET", "/events?application=No%20Such")
            #expect(bad.status == 400)
            #expect(try bad.error().message.hasPrefix("application: "))
            #expect(try await api.call("GET", "/events", authorized: false).status == 401)
            #expect(api.application.stream.subscriberCount == 0)
        }
    }
}
