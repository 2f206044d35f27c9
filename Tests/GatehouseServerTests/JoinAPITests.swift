import Foundation
import GatehouseServer
import Logging
import Storage
import Testing

/// The Join Server's operator API through the real HTTPS API with curl, on a real SQLite file.
@Suite("Join Server API")
struct JoinAPITests {
    private typealias T = JoinTestData

    /// Starts a server with a fresh data directory and one API key per name, made as `gatehouse apikey create` does.
    private func withJoinServer(
        keys names: [String] = ["tests"], log: CapturedLog = CapturedLog(), _ body: ([APIClient], TestEndpoint) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let services = try await GatehouseServices.open(configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        var keys: [String] = []
        for name in names { keys.append(try await services.store.apiKeys.create(name: name, at: Date(), actor: "test").plaintextKey) }
        await services.close()
        try await withRunningServer(configuration, log: log) { endpoint in
            try await body(keys.map { APIClient(endpoint: endpoint, apiKey: $0) }, endpoint)
        }
    }

    /// Calls the API and checks that the answer carries no secret of the test.
    private func call(_ client: APIClient, _ method: String, _ path: String, _ body: Any? = nil, secrets extra: [String] = []) async throws -> HTTPReply {
        let reply = try await client.call(method, path, json: body.map { $0 as? String ?? T.json($0) })
        #expect(T.leaks(in: reply.body, also: extra).isEmpty, "\(method) \(path) answered a secret: \(reply.body.prefix(300))")
        return reply
    }

    private func object(_ reply: HTTPReply) throws -> [String: Any] { try APIClient.object(reply) }

    private func errorMessage(_ reply: HTTPReply) throws -> String {
        try #require((try object(reply)["error"] as? [String: Any])?["message"] as? String)
    }

    @Test("create, show and list devices: keys go in, and no answer (nor the log) ever holds them")
    func createShowList() async throws {
        let log = CapturedLog()
        try await withJoinServer(log: log) { clients, _ in
            let client = clients[0]
            let legacy = try await call(client, "POST", "/devices", [
                "dev_eui": "0004A30B001C0530", "join_eui": "70B3D57ED0000001", "mac_version": "1.0.3", "app_key": T.appKey, "owner": "acme",
            ])
            #expect(legacy.status == 201)
            let created = try object(legacy)
            #expect(created["dev_eui"] as? String == "0004A30B001C0530")
            #expect(created["root_key_source"] as? String == "own")
            #expect(created["owner"] as? String == "acme")
            #expect(created["app_key"] == nil)

            let separate = try await call(client, "POST", "/devices", [
                "dev_eui": "0004A30B001C0531", "join_eui": "70B3D57ED0000001", "mac_version": "1.1", "app_key": T.appKey, "nwk_key": T.nwkKey,
                "home_net_id": "000013", "as_id": "as.example.com",
            ])
            #expect(separate.status == 201)
            #expect(try object(separate)["home_net_id"] as? String == "000013")
            let keyless = try await call(client, "POST", "/devices", ["dev_eui": "0004A30B001C0532", "join_eui": "70B3D57ED0000001", "mac_version": "1.0.4"])
            #expect(try object(keyless)["root_key_source"] as? String == "none")

            let shown = try await call(client, "GET", "/devices/0004-a30b-001c-0531")
            #expect(shown.status == 200)
            #expect(try object(shown)["mac_version"] as? String == "1.1")
            #expect(try object(shown)["as_id"] as? String == "as.example.com")

            let all = try object(try await call(client, "GET", "/devices"))
            #expect((all["devices"] as? [[String: Any]])?.compactMap { $0["dev_eui"] as? String } == ["0004A30B001C0530", "0004A30B001C0531", "0004A30B001C0532"])
            let page = try object(try await call(client, "GET", "/devices?limit=2"))
            #expect((page["devices"] as? [Any])?.count == 2)
            #expect(page["next_after"] as? String == "0004A30B001C0531")
            let rest = try object(try await call(client, "GET", "/devices?after=0004A30B001C0531"))
            #expect((rest["devices"] as? [[String: Any]])?.first?["dev_eui"] as? String == "0004A30B001C0532")
            let owned = try object(try await call(client, "GET", "/devices?owner=acme"))
            #expect((owned["devices"] as? [Any])?.count == 1)

            #expect(try await call(client, "GET", "/devices/0004A30B001C0599").status == 404)
            #expect(T.leaks(in: log.text).isEmpty, "the log holds a key")
        }
    }

    @Test("refusals: a duplicate is 409, a 1.1 device needs both keys (400), bad fields are 400 naming the field and never quoting a key")
    func refusals() async throws {
        try await withJoinServer { clients, _ in
            let client = clients[0]
            let device: [String: Any] = ["dev_eui": "0004A30B001C0530", "join_eui": "70B3D57ED0000001", "mac_version": "1.0.3", "app_key": T.appKey]
            #expect(try await call(client, "POST", "/devices", device).status == 201)
            let duplicate = try await call(client, "POST", "/devices", device)
            #expect(duplicate.status == 409)
            #expect(try errorMessage(duplicate) == "device 0004A30B001C0530 already exists")

            let oneKey = try await call(client, "POST", "/devices", [
                "dev_eui": "0004A30B001C0531", "join_eui": "70B3D57ED0000001", "mac_version": "1.1", "app_key": T.appKey,
            ])
            #expect(oneKey.status == 400)
            #expect(try errorMessage(oneKey).contains("both app_key and nwk_key"))
            let nwkOnly = try await call(client, "POST", "/devices", [
                "dev_eui": "0004A30B001C0531", "join_eui": "70B3D57ED0000001", "mac_version": "1.1", "nwk_key": T.nwkKey,
            ])
            #expect(nwkOnly.status == 400)
            let legacyWithNwk = try await call(client, "POST", "/devices", [
                "dev_eui": "0004A30B001C0531", "join_eui": "70B3D57ED0000001", "mac_version": "1.0.2", "app_key": T.appKey, "nwk_key": T.nwkKey,
            ])
            #expect(legacyWithNwk.status == 400)
            #expect(try errorMessage(legacyWithNwk).hasPrefix("nwk_key:"))

            // Almost a key: 31 digits and a letter that is not hex. The answer names the field, not the text.
            let almostKey = String(T.otherAppKey.dropLast()) + "z"
            let badKey = try await call(client, "POST", "/devices", [
                "dev_eui": "0004A30B001C0531", "join_eui": "70B3D57ED0000001", "mac_version": "1.0.3", "app_key": almostKey,
            ], secrets: [almostKey, String(almostKey.prefix(16))])
            #expect(badKey.status == 400)
            #expect(try errorMessage(badKey) == "app_key: expected 32 hex digits")

            for (body, field) in [
                (#"{"dev_eui":"0004A30B001C05","join_eui":"70B3D57ED0000001","mac_version":"1.0.3"}"#, "dev_eui"),
                // A key pasted into the wrong member: refused without being repeated (`call` checks).
                (T.json(["dev_eui": T.otherAppKey, "join_eui": "70B3D57ED0000001", "mac_version": "1.0.3"]), "dev_eui"),
                (#"{"dev_eui":"0004A30B001C0531","join_eui":"70B3D57ED0000001","mac_version":"2.0"}"#, "mac_version"),
                (#"{"dev_eui":"0004A30B001C0531","mac_version":"1.0.3"}"#, "join_eui"),
                (#"{"dev_eui":"0004A30B001C0531","join_eui":"70B3D57ED0000001","mac_version":1}"#, "mac_version"),
                (#"{"dev_eui":"0004A30B001C0531","join_eui":"70B3D57ED0000001","mac_version":"1.0.3","home_net_id":"13"}"#, "home_net_id"),
                (#"{"dev_eui":"0004A30B001C0531","join_eui":"70B3D57ED0000001","mac_version":"1.0.3","as_id":"a b"}"#, "as_id"),
            ] {
                let reply = try await call(client, "POST", "/devices", body)
                #expect(reply.status == 400, "\(body)")
                #expect(try errorMessage(reply).hasPrefix("\(field):"), "\(reply.body)")
            }
            #expect(try await call(client, "POST", "/devices", "{not json").status == 400)
            #expect(try await call(client, "POST", "/devices", "").status == 400)
            #expect(try await call(client, "GET", "/devices?limit=abc").status == 400)
            #expect(try await call(client, "GET", "/devices?after=xyz").status == 400)
            #expect(try await call(client, "GET", "/devices/not-an-eui").status == 400)
            #expect(try await call(client, "DELETE", "/devices/0004A30B001C0599").status == 404)
            #expect(try await APIClient(endpoint: client.endpoint, apiKey: nil).call("GET", "/devices").status == 401)
        }
    }

    @Test("root keys are replaced write-only, routing is patched, the DevNonce history is reset, and each step is audited")
    func changesAreAudited() async throws {
        try await withJoinServer { clients, _ in
            let client = clients[0]
            _ = try await call(client, "POST", "/devices", [
                "dev_eui": "0004A30B001C0531", "join_eui": "70B3D57ED0000001", "mac_version": "1.1", "home_net_id": "000013",
            ])
            let oneKey = try await call(client, "PUT", "/devices/0004A30B001C0531/root-keys", ["app_key": T.otherAppKey])
            #expect(oneKey.status == 400)
            #expect(try errorMessage(oneKey) == "a LoRaWAN 1.1 device needs both NwkKey and AppKey")
            let replaced = try await call(client, "PUT", "/devices/0004A30B001C0531/root-keys", ["app_key": T.otherAppKey, "nwk_key": T.nwkKey])
            #expect(replaced.status == 200)
            #expect(try object(replaced)["root_key_source"] as? String == "own")

            let routed = try object(try await call(client, "PATCH", "/devices/0004A30B001C0531", ["as_id": "as.example.com"]))
            #expect(routed["home_net_id"] as? String == "000013", "a member left out keeps its value")
            #expect(routed["as_id"] as? String == "as.example.com")
            let cleared = try object(try await call(client, "PATCH", "/devices/0004A30B001C0531", #"{"home_net_id":null}"#))
            #expect(cleared["home_net_id"] == nil)
            #expect(cleared["as_id"] as? String == "as.example.com")
            #expect(try await call(client, "PATCH", "/devices/0004A30B001C0531", #"{"home_net_id":13}"#).status == 400)

            #expect(try await call(client, "POST", "/devices/0004A30B001C0531/dev-nonces/reset", ["reason": "battery swap reset the counter"]).status == 204)
            #expect(try await call(client, "POST", "/devices/0004A30B001C0531/dev-nonces/reset", "{}").status == 400)
            #expect(try await call(client, "POST", "/devices/0004A30B001C0599/dev-nonces/reset", ["reason": "x"]).status == 404)
            #expect(try await call(client, "DELETE", "/devices/0004A30B001C0531").status == 204)
            #expect(try await call(client, "DELETE", "/devices/0004A30B001C0531").status == 404)

            let events = try #require(try object(try await call(client, "GET", "/devices/0004A30B001C0531/audit"))["events"] as? [[String: Any]])
            #expect(events.compactMap { $0["action"] as? String } == [
                "device.created", "device.root_keys_set", "device.updated", "device.updated", "device.dev_nonces_reset", "device.deleted",
            ])
            #expect(events.allSatisfy { $0["actor"] as? String == "apikey:tests" })
            #expect(events.contains { ($0["detail"] as? String)?.contains("battery swap") == true })
            let all = try #require(try object(try await call(client, "GET", "/join/audit"))["events"] as? [[String: Any]])
            // Besides the device's: the KEKs made for the in-process Network and Application Servers.
            #expect(all.count == events.count + 2)
            #expect(all.filter { $0["action"] as? String == "peer_kek.set" }.count == 2)
        }
    }

    @Test("JSON and CSV batches with wrapped keys import whole; a wrong KEK, a malformed record or a duplicate imports nothing")
    func importBatches() async throws {
        try await withJoinServer { clients, _ in
            let client = clients[0]
            let keks = [["label": T.manufacturerKEKLabel, "key": T.manufacturerKEK]]
            let json = T.batchJSON([
                .init(devEUI: "0004A30B001C0540", claimCode: "K7Q-PL2-9XZ"),
                .init(devEUI: "0004A30B001C0541", macVersion: "1.1", claimCode: "M4R-TT8-2QW", nwkKey: T.nwkKey),
            ])
            let imported = try await call(client, "POST", "/devices/import", ["format": "json", "data": json, "keks": keks], secrets: ["K7Q-PL2-9XZ"])
            #expect(imported.status == 201, "\(imported.body)")
            #expect(try object(imported)["imported"] as? Int == 2)
            let device = try object(try await call(client, "GET", "/devices/0004A30B001C0541"))
            #expect(device["claimable"] as? Bool == true)
            #expect(device["root_key_source"] as? String == "own")
            #expect(device["owner"] == nil)

            let csv = T.batchCSV([.init(devEUI: "0004A30B001C0542", claimCode: "Z9Z-QQ1-ABC"), .init(devEUI: "0004A30B001C0543", claimCode: "Y8Y-PP2-DEF", appKey: nil)])
            let fromCSV = try await call(client, "POST", "/devices/import", ["format": "csv", "data": csv, "keks": keks])
            #expect(fromCSV.status == 201, "\(fromCSV.body)")
            #expect(try object(fromCSV)["imported"] as? Int == 2)
            #expect(try object(try await call(client, "GET", "/devices/0004A30B001C0543"))["root_key_source"] as? String == "none")

            // The right label with another key: RFC 3394's integrity check refuses it, and nothing is stored.
            let wrongKEK = T.batchJSON([.init(devEUI: "0004A30B001C0550", claimCode: "K7Q-PL2-9XZ")], kekHex: T.transferKEK)
            let refused = try await call(client, "POST", "/devices/import", ["format": "json", "data": wrongKEK, "keks": keks])
            #expect(refused.status == 400)
            #expect(try errorMessage(refused).contains("0004A30B001C0550"))
            #expect(try await call(client, "GET", "/devices/0004A30B001C0550").status == 404)
            let noKEK = try await call(client, "POST", "/devices/import", ["format": "json", "data": T.batchJSON([.init(devEUI: "0004A30B001C0550", claimCode: "K7Q-PL2-9XZ")])])
            #expect(noKEK.status == 400)
            #expect(try errorMessage(noKEK).contains("no key-encryption key is labelled"))

            let malformed = json.replacingOccurrences(of: "0004A30B001C0541", with: "0004A30B001C05ZZ")
            let badRecord = try await call(client, "POST", "/devices/import", ["format": "json", "data": malformed, "keks": keks])
            #expect(badRecord.status == 400)
            #expect(try errorMessage(badRecord) == "data: devices[1]: dev_eui is not an EUI-64 (16 hex digits)")
            #expect(try await call(client, "POST", "/devices/import", ["format": "xml", "data": json]).status == 400)
            #expect(try await call(client, "POST", "/devices/import", ["format": "json", "data": json, "keks": [["label": "mfr-2026", "key": "00"]]]).status == 400)

            let again = try await call(client, "POST", "/devices/import", ["format": "json", "data": json, "keks": keks])
            #expect(again.status == 409)
            #expect(try errorMessage(again).contains("nothing was imported"))
        }
    }

    @Test("a claim with the right code gives the device to the calling key; wrong codes are 403 with one sentence, and the sixth try is 429")
    func claims() async throws {
        try await withJoinServer(keys: ["tests", "neighbour"]) { clients, _ in
            let (owner, neighbour) = (clients[0], clients[1])
            let batch = T.batchJSON([.init(devEUI: "0004A30B001C0540", claimCode: "K7Q-PL2-9XZ"), .init(devEUI: "0004A30B001C0541", claimCode: "M4R-TT8-2QW")])
            _ = try await call(owner, "POST", "/devices/import", ["format": "json", "data": batch, "keks": [["label": T.manufacturerKEKLabel, "key": T.manufacturerKEK]]])
            func claim(_ client: APIClient, _ devEUI: String, _ code: String) async throws -> HTTPReply {
                try await call(client, "POST", "/devices/claim", ["dev_eui": devEUI, "join_eui": "70B3D57ED0000001", "claim_code": code], secrets: [code])
            }
            let refusal = "no unclaimed device has that DevEUI, JoinEUI and claim code"

            let claimed = try await claim(owner, "0004A30B001C0540", "K7Q-PL2-9XZ")
            #expect(claimed.status == 200, "\(claimed.body)")
            #expect(try object(claimed)["owner"] as? String == "apikey:tests")
            #expect(try object(claimed)["claimable"] as? Bool == false)
            // Already owned, unknown, or a wrong code: the same 403 and the same sentence.
            for (devEUI, code) in [("0004A30B001C0540", "K7Q-PL2-9XZ"), ("0004A30B001C0599", "K7Q-PL2-9XZ")] {
                let reply = try await claim(neighbour, devEUI, code)
                #expect(reply.status == 403)
                #expect(try errorMessage(reply) == refusal)
            }
            let malformed = try await claim(owner, "0004A30B001C0541", "abc")
            #expect(malformed.status == 400)
            #expect(try errorMessage(malformed).hasPrefix("claim_code:"))

            for attempt in 1...5 {
                let reply = try await claim(owner, "0004A30B001C0541", "WRONG-\(attempt)-CODE")
                #expect(reply.status == 403, "attempt \(attempt)")
                #expect(try errorMessage(reply) == refusal)
            }
            let limited = try await claim(owner, "0004A30B001C0541", "M4R-TT8-2QW")
            #expect(limited.status == 429)
            #expect(try errorMessage(limited) == "too many wrong claim codes; try again later")
            #expect(try object(try await call(owner, "GET", "/devices/0004A30B001C0541"))["claimable"] as? Bool == true)

            let actions = (try object(try await call(owner, "GET", "/join/audit"))["events"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "device.claim_refused" }.count == 7)
            #expect(actions.contains("device.claimed"))
        }
    }

    @Test("a device exported under a transfer KEK is marked transferred and imports into a second Join Server, single or in a batch")
    func transfers() async throws {
        try await withJoinServer { clients, _ in
            let source = clients[0]
            for devEUI in ["0004A30B001C0531", "0004A30B001C0532"] {
                _ = try await call(source, "POST", "/devices", [
                    "dev_eui": devEUI, "join_eui": "70B3D57ED0000001", "mac_version": "1.1", "app_key": T.appKey, "nwk_key": T.nwkKey,
                ])
            }
            let transferKEK = ["kek_label": "js-transfer", "kek": T.transferKEK]
            let export = try await call(source, "POST", "/devices/0004A30B001C0531/transfer", transferKEK)
            #expect(export.status == 200, "\(export.body)")
            let document = try object(export)
            #expect(document["dev_eui"] as? String == "0004A30B001C0531")
            #expect(document["kek_label"] as? String == "js-transfer")
            #expect((document["nwk_key"] as? [String: Any])?["KEKLabel"] as? String == "js-transfer")
            let again = try await call(source, "POST", "/devices/0004A30B001C0531/transfer", transferKEK)
            #expect(again.status == 409)
            #expect(try object(try await call(source, "GET", "/devices/0004A30B001C0531"))["transferred_at"] != nil)
            #expect(try await call(source, "POST", "/devices/0004A30B001C0531/transfer", ["kek_label": "js-transfer", "kek": "00"]).status == 400)
            #expect(try await call(source, "POST", "/devices/0004A30B001C0599/transfer", transferKEK).status == 404)
            let second = try await call(source, "POST", "/devices/0004A30B001C0532/transfer", transferKEK)

            try await withJoinServer { destinations, _ in
                let destination = destinations[0]
                let keks = [["label": "js-transfer", "key": T.transferKEK]]
                let wrongKEK = try await call(destination, "POST", "/devices/transfers", ["document": document, "keks": [["label": "js-transfer", "key": T.masterKey]]])
                #expect(wrongKEK.status == 400)
                let imported = try await call(destination, "POST", "/devices/transfers", ["document": document, "keks": keks, "owner": "acme"])
                #expect(imported.status == 201, "\(imported.body)")
                #expect(try object(imported)["imported"] as? Int == 1)
                let moved = try object(try await call(destination, "GET", "/devices/0004A30B001C0531"))
                #expect(moved["owner"] as? String == "acme")
                #expect(moved["root_key_source"] as? String == "own")
                #expect(moved["transferred_at"] == nil)
                #expect(try await call(destination, "POST", "/devices/transfers", ["document": document, "keks": keks]).status == 409)

                // A batch document, sent as its text.
                let batch = #"{"devices":[\#(second.body)]}"#
                let fromBatch = try await call(destination, "POST", "/devices/transfers", ["document": batch, "keks": keks])
                #expect(fromBatch.status == 201, "\(fromBatch.body)")
                #expect(try await call(destination, "GET", "/devices/0004A30B001C0532").status == 200)
                let broken = try await call(destination, "POST", "/devices/transfers", ["document": ["dev_eui": "0004A30B001C0533"], "keks": keks])
                #expect(broken.status == 400)
                #expect(try errorMessage(broken).hasPrefix("document:"))
            }
        }
    }

    @Test("master keys: added, listed by name and range only, derive keys for devices in range; an overlap is 409")
    func masterKeys() async throws {
        try await withJoinServer { clients, _ in
            let client = clients[0]
            let added = try await call(client, "POST", "/join/master-keys", [
                "name": "vendor-a", "join_eui_first": "70B3D57ED0000000", "join_eui_last": "70B3D57ED00000FF", "key": T.masterKey,
            ])
            #expect(added.status == 201, "\(added.body)")
            let list = try object(try await call(client, "GET", "/join/master-keys"))
            let keys = try #require(list["master_keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            #expect(keys.first?["name"] as? String == "vendor-a")
            #expect(keys.first?["join_eui_last"] as? String == "70B3D57ED00000FF")
            #expect(keys.first?["key"] == nil)

            let device = try object(try await call(client, "POST", "/devices", ["dev_eui": "0004A30B001C0530", "join_eui": "70B3D57ED0000010", "mac_version": "1.0.3"]))
            #expect(device["root_key_source"] as? String == "master_key")
            #expect(device["master_key"] as? String == "vendor-a")

            let overlap = try await call(client, "POST", "/join/master-keys", [
                "name": "vendor-b", "join_eui_first": "70B3D57ED0000080", "join_eui_last": "70B3D57ED00001FF", "key": T.masterKey,
            ])
            #expect(overlap.status == 409)
            #expect(try errorMessage(overlap) == "the JoinEUI range overlaps master key vendor-a")
            let reversed = try await call(client, "POST", "/join/master-keys", [
                "name": "vendor-b", "join_eui_first": "70B3D57ED00001FF", "join_eui_last": "70B3D57ED0000100", "key": T.masterKey,
            ])
            #expect(reversed.status == 400)
            #expect(try await call(client, "POST", "/join/master-keys", [
                "name": "vendor b/2", "join_eui_first": "70B3D57ED0000100", "join_eui_last": "70B3D57ED00001FF", "key": T.masterKey,
            ]).status == 400)
            #expect(try await call(client, "DELETE", "/join/master-keys/vendor-a").status == 204)
            #expect(try await call(client, "DELETE", "/join/master-keys/vendor-a").status == 404)
            #expect(try object(try await call(client, "GET", "/devices/0004A30B001C0530"))["root_key_source"] as? String == "none")
        }
    }

    @Test("a peer added without a KEK gets a generated one, shown once; its client certificate chains to the CA and names the peer")
    func peers() async throws {
        let log = CapturedLog()
        try await withJoinServer(log: log) { clients, endpoint in
            let client = clients[0]
            let added = try await call(client, "POST", "/join/peers", ["peer": "ns:000031"])
            #expect(added.status == 201, "\(added.body)")
            let body = try object(added)
            let kek = try #require(body["kek"] as? String)
            #expect(kek.count == 32 && kek.allSatisfy(\.isHexDigit))
            #expect(body["kek_label"] as? String == "ns:000031")
            #expect(added.body.contains("shown once"))

            let given = try object(try await call(client, "POST", "/join/peers", ["peer": "as:as.example.com", "kek_label": "as-1", "kek": T.transferKEK]))
            #expect(given["kek"] == nil)
            #expect(given["kek_label"] as? String == "as-1")
            let listed = try await call(client, "GET", "/join/peers", secrets: [kek])
            #expect(try object(listed)["peers"] as? [[String: String]] == [
                ["peer": "as:as.example.com", "kek_label": "as-1"], ["peer": "as:gatehouse", "kek_label": "as:gatehouse"],
                ["peer": "ns:000000", "kek_label": "ns:000000"], ["peer": "ns:000031", "kek_label": "ns:000031"],
            ])
            #expect(try await call(client, "POST", "/join/peers", ["peer": "gw:1"]).status == 400)
            #expect(try await call(client, "POST", "/join/peers", ["peer": "ns:000032", "kek": "0011"]).status == 400)

            let issued = try await call(client, "POST", "/join/peers/ns:000031/certificate", ["validity_days": 30], secrets: [kek])
            #expect(issued.status == 201, "\(issued.body)")
            let credentials = try object(issued)
            let scratch = endpoint.scratchDirectory + "/\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            for (member, file) in [("certificate_pem", "client.crt"), ("chain_pem", "chain.pem"), ("trust_anchor_pem", "ca.crt"), ("private_key_pem", "client.key")] {
                try (credentials[member] as? String ?? "").write(toFile: scratch + "/" + file, atomically: true, encoding: .utf8)
            }
            let verify = try await ExternalTool.run(
                "/usr/bin/openssl", ["verify", "-CAfile", scratch + "/ca.crt", "-untrusted", scratch + "/chain.pem", scratch + "/client.crt"], in: scratch)
            #expect(verify.exitCode == 0, "\(verify.standardError)")
            let subject = try await ExternalTool.run("/usr/bin/openssl", ["x509", "-in", scratch + "/client.crt", "-noout", "-subject", "-ext", "extendedKeyUsage"], in: scratch)
            #expect(subject.standardOutput.contains("CN = ns:000031") || subject.standardOutput.contains("CN=ns:000031"), "\(subject.standardOutput)")
            #expect(subject.standardOutput.contains("TLS Web Client Authentication"))
            let certificateKey = try await ExternalTool.run("/usr/bin/openssl", ["x509", "-in", scratch + "/client.crt", "-noout", "-pubkey"], in: scratch)
            let privateKey = try await ExternalTool.run("/usr/bin/openssl", ["pkey", "-in", scratch + "/client.key", "-pubout"], in: scratch)
            #expect(!certificateKey.standardOutput.isEmpty && certificateKey.standardOutput == privateKey.standardOutput, "the key belongs to the certificate")

            #expect(try await call(client, "POST", "/join/peers/ns:000032/certificate", "{}").status == 404)
            #expect(try await call(client, "POST", "/join/peers/ns%3A000031/certificate", ["validity_days": 0]).status == 400)
            #expect(try await call(client, "DELETE", "/join/peers/ns:000031").status == 204)
            #expect(try await call(client, "DELETE", "/join/peers/ns:000031").status == 404)

            let keyLine = (credentials["private_key_pem"] as? String ?? "").split(separator: "\n").dropFirst().first.map(String.init) ?? "-"
            #expect(!log.text.contains(kek), "the log holds the generated KEK")
            #expect(!log.text.contains(keyLine), "the log holds the peer's private key")
        }
    }
}
