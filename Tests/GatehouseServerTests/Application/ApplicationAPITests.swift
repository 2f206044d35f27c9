import ApplicationServer
import Foundation
import GatehouseServer
import LoRaWAN
import Testing

/// `/api/v1/applications` on a real listener and a real SQLite store: applications, webhooks, the
/// webhook secret and device assignment.
@Suite("Application API")
struct ApplicationAPITests {
    private typealias H = ApplicationAPIHarness

    @Test("create, list, show and delete an application; the secret comes once, at creation, with no-store")
    func lifecycle() async throws {
        let log = CapturedLog()
        try await withApplicationAPI(log: log) { api in
            let created = try await api.call("POST", "/applications", json: H.json(["id": "weather-stations", "name": "Weather stations"]))
            #expect(created.status == 201, "\(created.body)")
            #expect(created.headers["cache-control"] == "no-store")
            let object = try created.object()
            #expect(object["id"] as? String == "weather-stations")
            #expect(object["name"] as? String == "Weather stations")
            #expect((object["webhooks"] as? [Any])?.isEmpty == true)
            let secret = try #require(object["webhook_secret"] as? String)
            #expect(secret.hasPrefix("whsec_"))
            #expect(try await api.application.registry.application(ApplicationID("weather-stations")!)?.webhookSecret == WebhookSecret(secret))

            #expect(try await api.call("POST", "/applications", json: H.json(["id": "parking", "name": "Parking"])).status == 201)
            let list = try await api.call("GET", "/applications")
            #expect(list.status == 200)
            let ids = (try list.object()["applications"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["parking", "weather-stations"])
            #expect(!list.body.contains(secret))

            let shown = try await api.call("GET", "/applications/weather-stations")
            #expect(shown.status == 200)
            #expect(try shown.object()["webhook_secret"] == nil)
            #expect(!shown.body.contains(secret))

            #expect(try await api.call("DELETE", "/applications/weather-stations").status == 204)
            let gone = try await api.call("GET", "/applications/weather-stations")
            #expect(gone.status == 404)
            #expect(try gone.error() == ("not_found", "application weather-stations does not exist"))
            #expect(try await api.call("DELETE", "/applications/weather-stations").status == 404)
            #expect(!log.text.contains(secret), "the log holds the webhook secret")
        }
    }

    @Test("bad input is a 400 with a JSON body naming the member; a duplicate id 409; no key 401")
    func refusals() async throws {
        try await withApplicationAPI { api in
            let cases: [(String, String, String)] = [
                (H.json(["id": "Weather", "name": "x"]), "invalid_field", "id: an application id is 1 to 64 lower-case letters, digits, '-', '_' or '.'"),
                (H.json(["id": "ok", "name": "   "]), "invalid_field", "name: a name is 1 to 200 characters on one line"),
                (H.json(["id": "ok", "name": "two\nlines"]), "invalid_field", "name: a name is 1 to 200 characters on one line"),
                (H.json(["id": "ok"]), "invalid_field", "name: is missing"),
                (H.json(["id": 7, "name": "x"]), "invalid_field", "id: has the wrong JSON type"),
                (H.json(["id": "ok", "name": "x", "secret": "mine"]), "invalid_field", "secret: is not a member of this request (expected id, name)"),
                ("[1,2]", "bad_request", "The body is not a JSON object."),
                ("{\"id\":", "bad_request", "The body is not JSON."),
            ]
            for (body, code, message) in cases {
                let reply = try await api.call("POST", "/applications", json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
                #expect(try reply.error() == (code, message), "\(body)")
            }
            let tooBig = try await api.call("POST", "/applications", json: H.json(["id": "ok", "name": String(repeating: "x", count: 20_000)]))
            #expect(tooBig.status == 413)

            #expect(try await api.call("POST", "/applications", json: H.json(["id": "ok", "name": "x"])).status == 201)
            let duplicate = try await api.call("POST", "/applications", json: H.json(["id": "ok", "name": "y"]))
            #expect(duplicate.status == 409)
            #expect(try duplicate.error() == ("conflict", "application ok already exists"))
            #expect(try await api.call("GET", "/applications/NOT-AN-ID").status == 400)

            let anonymous = try await api.call("GET", "/applications", authorized: false)
            #expect(anonymous.status == 401)
            #expect(try anonymous.error().code == "unauthorized")
            #expect(try await api.call("GET", "/applications", key: "gh_not_a_key").status == 401)
        }
    }

    @Test("webhooks: add answers an id, bad URLs are 400, remove by id; rotation answers a new secret once")
    func webhooksAndSecret() async throws {
        let log = CapturedLog()
        try await withApplicationAPI(log: log) { api in
            let created = try await api.call("POST", "/applications", json: H.json(["id": "app", "name": "App"]))
            let firstSecret = try #require(try created.object()["webhook_secret"] as? String)

            let url = "https://hooks.example.com/gatehouse?token=receiver-token-123"
            let added = try await api.call("POST", "/applications/app/webhooks", json: H.json(["url": url]))
            #expect(added.status == 201, "\(added.body)")
            let webhookID = try #require(try added.object()["id"] as? String)
            #expect(UUID(uuidString: webhookID) != nil)
            #expect(try added.object()["url"] as? String == url)
            #expect(try await api.call("POST", "/applications/app/webhooks", json: H.json(["url": url])).status == 409)

            for bad in ["ftp://example.com/x", "/relative/path", "not a url", "https://"] {
                let reply = try await api.call("POST", "/applications/app/webhooks", json: H.json(["url": bad]))
                #expect(reply.status == 400, "\(bad)")
                #expect(try reply.error().message.hasPrefix("url: "), "\(bad)")
            }
            #expect(try await api.call("POST", "/applications/nope/webhooks", json: H.json(["url": url])).status == 404)

            let shown = try await api.call("GET", "/applications/app")
            #expect((try shown.object()["webhooks"] as? [[String: Any]])?.first?["id"] as? String == webhookID)

            let rotated = try await api.call("POST", "/applications/app/webhook-secret")
            #expect(rotated.status == 201)
            #expect(rotated.headers["cache-control"] == "no-store")
            let secret = try #require(try rotated.object()["webhook_secret"] as? String)
            #expect(secret != firstSecret)
            let stored = try #require(try await api.application.registry.application(ApplicationID("app")!))
            #expect(stored.webhookSecret == WebhookSecret(secret))
            #expect(stored.webhooks.count == 1, "rotation keeps the webhooks")
            #expect(!(try await api.call("GET", "/applications/app")).body.contains(secret))
            #expect(try await api.call("POST", "/applications/nope/webhook-secret").status == 404)

            #expect(try await api.call("DELETE", "/applications/app/webhooks/\(webhookID)").status == 204)
            let again = try await api.call("DELETE", "/applications/app/webhooks/\(webhookID)")
            #expect(again.status == 404)
            #expect(try await api.call("DELETE", "/applications/app/webhooks/not-a-uuid").status == 400)
            #expect(try await api.application.registry.application(ApplicationID("app")!)?.webhooks.isEmpty == true)

            #expect(!log.text.contains(secret) && !log.text.contains(firstSecret), "the log holds a webhook secret")
            #expect(!log.text.contains("receiver-token-123"), "the log holds a webhook URL's query")
        }
    }

    @Test("devices: assign (moving from another application), list, unassign; unknown application or assignment 404")
    func deviceAssignment() async throws {
        try await withApplicationAPI { api in
            for id in ["a", "b"] { #expect(try await api.call("POST", "/applications", json: H.json(["id": id, "name": id])).status == 201) }
            let assigned = try await api.call("PUT", "/applications/a/devices/0004a30b001c0530")
            #expect(assigned.status == 200)
            #expect(try assigned.object()["dev_eui"] as? String == "0004A30B001C0530")
            #expect(try await api.call("PUT", "/applications/a/devices/0004A30B001C0531").status == 200)
            let listed = try await api.call("GET", "/applications/a/devices")
            #expect(try listed.object()["devices"] as? [String] == ["0004A30B001C0530", "0004A30B001C0531"])

            #expect(try await api.call("PUT", "/applications/b/devices/0004A30B001C0531").status == 200)
            #expect(try await api.call("GET", "/applications/a/devices").object()["devices"] as? [String] == ["0004A30B001C0530"])
            #expect(try await api.application.registry.application(of: EUI64(0x0004_A30B_001C_0531))?.id.rawValue == "b")

            let notHere = try await api.call("DELETE", "/applications/a/devices/0004A30B001C0531")
            #expect(notHere.status == 404)
            #expect(try notHere.error().message == "device 0004A30B001C0531 is not assigned to application a")
            #expect(try await api.call("DELETE", "/applications/b/devices/0004A30B001C0531").status == 204)
            #expect(try await api.application.registry.application(of: EUI64(0x0004_A30B_001C_0531)) == nil)

            #expect(try await api.call("PUT", "/applications/nope/devices/0004A30B001C0530").status == 404)
            #expect(try await api.call("GET", "/applications/nope/devices").status == 404)
            let badEUI = try await api.call("PUT", "/applications/a/devices/0004A30B")
            #expect(badEUI.status == 400)
            #expect(try badEUI.error().message.hasPrefix("devEUI:"))
        }
    }
}
