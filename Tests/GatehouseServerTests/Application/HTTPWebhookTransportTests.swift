import ApplicationServer
import BackendInterfaces
import Foundation
import GatehouseServer
import LoRaWAN
import Logging
import NIOCore
import Testing

/// The webhook transport against a real local HTTP server, and the dispatcher delivering through it
/// from the real SQLite outbox.
@Suite("HTTP webhook transport")
struct HTTPWebhookTransportTests {
    private var quiet: Logger {
        var logger = Logger(label: "transport-tests")
        logger.logLevel = .critical
        return logger
    }

    private func withTransport<T: Sendable>(
        _ configuration: HTTPWebhookTransportConfiguration = .init(), _ body: (HTTPWebhookTransport) async throws -> T
    ) async throws -> T {
        let transport = HTTPWebhookTransport(configuration: configuration, logger: quiet)
        do {
            let result = try await body(transport)
            await transport.shutdown()
            return result
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    @Test("POSTs the body with the given headers and returns the status")
    func postsAndReturnsStatus() async throws {
        try await ScriptedWebhookReceiver.with { receiver, base in
            try await withTransport { transport in
                let body = Array(#"{"type":"uplink"}"#.utf8)
                let status = try await transport.post(
                    url: URL(string: base + "/hook?token=abc")!,
                    headers: [("Content-Type", "application/json"), ("X-Gatehouse-Event", "uplink")], body: body)
                #expect(status == 204)
                let request = try #require(receiver.requests.first)
                #expect(request.path == "/hook")
                #expect(request.body == body)
                #expect(request.headers["content-type"] == "application/json")
                #expect(request.headers["x-gatehouse-event"] == "uplink")

                for code in [200, 400, 404, 408, 429, 500, 503] {
                    #expect(try await transport.post(url: URL(string: base + "/status/\(code)")!, headers: [], body: []) == code)
                }
            }
        }
    }

    @Test("a redirect is answered, not followed")
    func redirectNotFollowed() async throws {
        try await ScriptedWebhookReceiver.with { receiver, base in
            try await withTransport { transport in
                let status = try await transport.post(url: URL(string: base + "/redirect")!, headers: [], body: [1])
                #expect(status == 302)
                #expect(receiver.requests.map(\.path) == ["/redirect"])
            }
        }
    }

    @Test("a receiver that does not answer in time is a timeout error naming only its origin")
    func timeout() async throws {
        try await ScriptedWebhookReceiver.with { _, base in
            try await withTransport(HTTPWebhookTransportConfiguration(requestTimeout: .milliseconds(300), readTimeout: .milliseconds(300))) { transport in
                let start = ContinuousClock.now
                let error = await #expect(throws: WebhookTransportError.self) {
                    try await transport.post(url: URL(string: base + "/slow?token=s3cr3t")!, headers: [], body: [])
                }
                #expect(ContinuousClock.now - start < .seconds(5))
                #expect(error?.timedOut == true)
                #expect(error?.description.contains("s3cr3t") == false)
                #expect(error?.description.contains("/slow") == false)
            }
        }
    }

    @Test("an endless response body is read only up to the bound; the status still counts")
    func boundedBody() async throws {
        try await ScriptedWebhookReceiver.with { _, base in
            try await withTransport(HTTPWebhookTransportConfiguration(maximumResponseBodyBytes: 1024)) { transport in
                let status = try await within(.seconds(10), "an answer with an endless body") {
                    try await transport.post(url: URL(string: base + "/big")!, headers: [], body: [])
                }
                #expect(status == 200)
            }
        }
    }

    @Test("nothing listening is an error, not a status")
    func refused() async throws {
        let closedPort = try await ScriptedWebhookReceiver.with { _, base in base }
        try await withTransport { transport in
            let error = await #expect(throws: WebhookTransportError.self) {
                try await transport.post(url: URL(string: closedPort + "/hook")!, headers: [], body: [])
            }
            #expect(error?.timedOut == false)
        }
    }

    @Test("time limits are fitted inside the dispatcher's lease")
    func fittedToLease() {
        let fitted = HTTPWebhookTransportConfiguration(requestTimeout: .seconds(120), readTimeout: .seconds(60))
            .fitting(WebhookDispatcherConfiguration(maximumConcurrentAttemptsPerWebhook: 40, lease: .seconds(60)))
        #expect(fitted.longestAttempt <= .seconds(30))
        #expect(fitted.connectTimeout <= fitted.requestTimeout)
        #expect(fitted.maximumConnectionsPerHost >= 80)
        let defaults = HTTPWebhookTransportConfiguration().fitting(WebhookDispatcherConfiguration())
        #expect(defaults.requestTimeout == .seconds(30))
        #expect(defaults.longestAttempt < .seconds(300))
    }

    @Test("end to end: an event queued in the SQLite outbox is POSTed, signed with the application's secret")
    func dispatcherDelivers() async throws {
        try await ScriptedWebhookReceiver.with { receiver, base in
            try await withApplicationAPI { api in
                let created = try await api.call("POST", "/applications", json: ApplicationAPIHarness.json(["id": "app", "name": "App"]))
                let secretText = try #require(try created.object()["webhook_secret"] as? String)
                let secret = try #require(WebhookSecret(secretText))
                #expect(try await api.call("POST", "/applications/app/webhooks", json: ApplicationAPIHarness.json(["url": base + "/hook?token=t"])).status == 201)
                #expect(try await api.call("PUT", "/applications/app/devices/0004A30B001C0530").status == 200)

                await api.application.server.networkEvent(NetworkEvent(
                    kind: .micFailed, devEUI: EUI64(0x0004_A30B_001C_0530), devAddr: DevAddr(0x2601_1BDA), detail: "MIC mismatch", time: Date()))
                let summary = await api.application.dispatcher.dispatchDue()
                #expect(summary == WebhookDispatchSummary(claimed: 1, delivered: 1))

                let request = try #require(receiver.requests.first)
                #expect(request.headers["x-gatehouse-event"] == "error")
                #expect(request.headers["user-agent"] == "Gatehouse")
                #expect(String(decoding: request.body, as: UTF8.self).contains("\"error\":\"mic_failed\""))
                let timestamp = try #require(request.headers["x-gatehouse-timestamp"])
                let signature = try #require(request.headers["x-gatehouse-signature"])
                try WebhookSignature.verify(body: request.body, timestamp: timestamp, signature: signature, secret: secret, now: Date())
                #expect(await api.application.dispatcher.dispatchDue() == WebhookDispatchSummary())
            }
        }
    }
}
