import ApplicationServer
import BackendInterfaces
import Foundation
@testable import GatehouseServer
import LoRaWAN
import NIOCore
import Testing

/// Webhook deliveries as the server makes them: the REST API over real SQLite, the running dispatcher
/// (in-memory hand-over, cached application), and the production receiver checking signatures.
@Suite("Webhook delivery through the API")
struct WebhookDeliveryAPITests {
    typealias H = ApplicationAPIHarness
    static let devEUI = EUI64(0x0004_A30B_001C_0530)
    static let devAddr = DevAddr(0x2601_1BDA)

    /// Creates `app` with a webhook to `url` and device ``devEUI`` assigned; returns the webhook secret.
    static func provision(_ api: ApplicationAPIHarness, webhook url: URL) async throws -> WebhookSecret {
        let created = try await api.call("POST", "/applications", json: H.json(["id": "app", "name": "App"]))
        let text = try #require(try created.object()["webhook_secret"] as? String)
        let secret = try #require(WebhookSecret(text))
        #expect(try await api.call("POST", "/applications/app/webhooks", json: H.json(["url": url.absoluteString])).status == 201)
        #expect(try await api.call("PUT", "/applications/app/devices/\(devEUI)").status == 200)
        return secret
    }

    static func networkEvent(_ detail: String) -> NetworkEvent {
        NetworkEvent(kind: .micFailed, devEUI: devEUI, devAddr: devAddr, detail: detail, time: Date())
    }

    @Test("a rotated secret signs the next delivery: the receiver, told the new secret, refuses nothing")
    func rotationAppliesToTheNextDelivery() async throws {
        try await withLocalWebhookReceiver { received, url in
            try await withApplicationAPI { api in
                let secret = try await Self.provision(api, webhook: url)
                received.receiver.use(secret: secret)
                let running = Task { await api.application.dispatcher.run() }
                defer { running.cancel() }

                await api.application.server.networkEvent(Self.networkEvent("before the rotation"))
                try await received.waitFor(1)

                let rotated = try await api.call("POST", "/applications/app/webhook-secret")
                let rotatedText = try #require(try rotated.object()["webhook_secret"] as? String)
                let rotatedSecret = try #require(WebhookSecret(rotatedText))
                received.receiver.use(secret: rotatedSecret)
                await api.application.server.networkEvent(Self.networkEvent("after the rotation"))
                try await received.waitFor(2)

                #expect(received.receiver.refused == 0, "a delivery after the rotation was signed with the old secret")
                #expect(String(decoding: received.all[1], as: UTF8.self).contains("after the rotation"))
                running.cancel()
                await running.value
            }
        }
    }

    @Test("an uplink's JSON is the same bytes on the live stream, in its server-sent event, and in the webhook's body")
    func oneSerialization() async throws {
        try await withLocalWebhookReceiver { received, url in
            try await withApplicationAPI { api in
                let secret = try await Self.provision(api, webhook: url)
                received.receiver.use(secret: secret)
                let subscription = api.application.stream.subscribe(.application(ApplicationID("app")!))
                let running = Task { await api.application.dispatcher.run() }
                defer { running.cancel() }

                let appSKey = AppSKey(bytes: Array(0x10...0x1F))!
                let sessionKeyID: [UInt8] = [0x53, 0x4B, 0x00, 0x07]
                try await api.application.sessions.store(ApplicationSession(
                    devEUI: Self.devEUI, devAddr: Self.devAddr, sessionKeyID: sessionKeyID, appSKey: appSKey, createdAt: Date()))
                let payload = Array("21.5C \"quoted\" é".utf8)
                let encrypted = PayloadCipher.cryptFRMPayload(payload, key: appSKey, direction: .uplink, devAddr: Self.devAddr, fCnt: 42)
                await api.application.server.uplinkReceived(ApplicationUplink(
                    devEUI: Self.devEUI, devAddr: Self.devAddr, sessionKeyID: sessionKeyID, fPort: 10, fCnt: 42, encryptedFRMPayload: encrypted,
                    confirmed: false, dataRate: .dr5, frequency: Frequency(hertz: 868_100_000),
                    receptions: [GatewayReception(gatewayEUI: EUI64(0xB827_EBFF_FE61_A0B2), rssi: -57, snr: 9.5, time: Date())], receivedAt: Date()))

                var items = subscription.makeAsyncIterator()
                let item = try #require(await items.next())
                guard case .event(let encoded) = item, case .uplink(let uplink) = encoded.event else {
                    Issue.record("expected the uplink event, got \(item)")
                    return
                }
                #expect(uplink.payload == payload)
                try await received.waitFor(1)
                #expect(received.all[0] == encoded.json)
                let frame = Array(buffer: ServerSentEvent.frame(item))
                #expect(frame == Array("event: uplink\ndata: ".utf8) + encoded.json + Array("\n\n".utf8))
                running.cancel()
                await running.value
            }
        }
    }
}
