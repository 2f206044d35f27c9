import Foundation
import GatehouseServer
import Logging
import Storage
import Testing

/// The Gateway PKI through the real HTTPS API with curl and openssl, on a real SQLite file.
@Suite("Gateway PKI API")
struct PKIAPITests {
    /// Starts a server with a fresh data directory and an API key made the way `gatehouse apikey create` does.
    private func withPKIServer(log: CapturedLog = CapturedLog(), _ body: (APIClient, TestEndpoint, String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let services = try await GatehouseServices.open(configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let key = try await services.store.apiKeys.create(name: "tests", at: Date(), actor: "test").plaintextKey
        await services.close()
        try await withRunningServer(configuration, log: log) { endpoint in
            try await body(APIClient(endpoint: endpoint, apiKey: key), endpoint, directory.file("data"))
        }
    }

    @Test("without an API key, or with a wrong one, the API answers 401 and says nothing more")
    func unauthorized() async throws {
        try await withPKIServer { client, endpoint, _ in
            for key in [nil, "gh_0000000000000000_wrong", "Basic abc"] {
                let reply = try await APIClient(endpoint: endpoint, apiKey: key).call("GET", "/gateways")
                #expect(reply.status == 401)
                #expect(reply.body == #"{"error":{"code":"unauthorized","message":"A valid API key is required: send Authorization: Bearer <key>."}}"#)
            }
            #expect(try await client.call("GET", "/gateways").status == 200)
        }
    }

    @Test("register by MAC, refuse a duplicate with 409 and a malformed EUI with 400 naming the field")
    func registerGateways() async throws {
        try await withPKIServer { client, _, _ in
            let created = try await client.call("POST", "/gateways", json: #"{"mac":"b8:27:eb:12:34:56","name":"roof","frequencyPlan":"EU868"}"#)
            #expect(created.status == 201)
            #expect(try APIClient.object(created)["eui"] as? String == "B827EBFFFE123456")
            let duplicate = try await client.call("POST", "/gateways", json: #"{"eui":"B8-27-EB-FF-FE-12-34-56","name":"again","frequencyPlan":"EU868"}"#)
            #expect(duplicate.status == 409)
            let malformed = try await client.call("POST", "/gateways", json: #"{"eui":"B827EBFFFE12345Z","name":"x","frequencyPlan":"EU868"}"#)
            #expect(malformed.status == 400)
            #expect(malformed.body.contains("eui"))
            let badPlan = try await client.call("POST", "/gateways", json: #"{"eui":"0016C001FF10A235","name":"x","frequencyPlan":"XX1"}"#)
            #expect(badPlan.status == 400)
            #expect(badPlan.body.contains("frequencyPlan"))
            let notJSON = try await client.call("POST", "/gateways", json: "{not json")
            #expect(notJSON.status == 400)
            #expect(try await client.call("GET", "/gateways/0016C001FF10A235").status == 404)
        }
    }

    @Test("a server-generated key is returned once, verifies with openssl, and is in neither the database nor the log")
    func issueWithServerKey() async throws {
        let log = CapturedLog()
        try await withPKIServer(log: log) { client, endpoint, dataDirectory in
            #expect(try await client.call("POST", "/gateways", json: #"{"eui":"0016C001FF10A235","name":"mast","frequencyPlan":"US915"}"#).status == 201)
            // `gatehouse serve` made its CA on first start; a second one is refused.
            #expect(try await client.call("POST", "/ca/init", json: "{}").status == 409)
            let reply = try await client.call("POST", "/gateways/0016C001FF10A235/certificates", json: #"{"validityDays":30}"#)
            #expect(reply.status == 201)
            let body = try APIClient.object(reply)
            let key = try #require(body["privateKeyPEM"] as? String)
            let certificate = try #require((body["certificate"] as? [String: Any])?["certificatePEM"] as? String)
            let scratch = endpoint.scratchDirectory + "/\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            try certificate.write(toFile: scratch + "/gateway.crt", atomically: true, encoding: .utf8)
            try (body["chainPEM"] as? String ?? "").write(toFile: scratch + "/chain.pem", atomically: true, encoding: .utf8)
            try (body["trustAnchorPEM"] as? String ?? "").write(toFile: scratch + "/root.pem", atomically: true, encoding: .utf8)
            let verify = try await ExternalTool.run(
                "/usr/bin/openssl", ["verify", "-CAfile", scratch + "/root.pem", "-untrusted", scratch + "/chain.pem", scratch + "/gateway.crt"], in: scratch)
            #expect(verify.exitCode == 0, "\(verify.standardError)")

            // Invariant 1: the key's bytes are nowhere in storage or the log.
            let keyBody = key.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            let keyDER = try #require(Data(base64Encoded: keyBody))
            for file in try FileManager.default.contentsOfDirectory(atPath: dataDirectory) {
                guard let contents = FileManager.default.contents(atPath: dataDirectory + "/" + file) else { continue }
                #expect(contents.range(of: keyDER) == nil, "the key's DER is in \(file)")
                #expect(contents.range(of: Data(keyBody.prefix(40).utf8)) == nil, "the key's PEM is in \(file)")
            }
            #expect(!log.text.contains(keyBody.prefix(40)))
            let history = try APIClient.object(try await client.call("GET", "/gateways/0016C001FF10A235/certificates"))
            #expect(!String(describing: history).contains(keyBody.prefix(40)))
        }
    }

    @Test("a CSR made by openssl is signed for its own key; a CSR with another CN is refused")
    func issueFromCSR() async throws {
        try await withPKIServer { client, endpoint, _ in
            _ = try await client.call("POST", "/gateways", json: #"{"eui":"0016C001FF10A235","name":"mast","frequencyPlan":"EU868"}"#)
            let scratch = endpoint.scratchDirectory + "/\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            for (cn, expected) in [("0016C001FF10A235", 201), ("0016C001FF10A236", 400)] {
                let made = try await ExternalTool.run(
                    "/usr/bin/openssl",
                    ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", scratch + "/\(cn).key",
                     "-out", scratch + "/\(cn).csr", "-subj", "/CN=\(cn)"], in: scratch)
                #expect(made.exitCode == 0)
                let csr = try String(contentsOfFile: scratch + "/\(cn).csr", encoding: .utf8)
                let request = try String(decoding: JSONSerialization.data(withJSONObject: ["csrPEM": csr]), as: UTF8.self)
                let reply = try await client.call("POST", "/gateways/0016C001FF10A235/certificates", json: request)
                #expect(reply.status == expected, "\(reply.body)")
                if expected == 201 { #expect(try APIClient.object(reply)["privateKeyPEM"] == nil) }
            }
        }
    }

    @Test("re-issuing supersedes, revoking is idempotent, and the CRL over plain HTTP lists both with reasons")
    func revocationAndCRL() async throws {
        try await withPKIServer { client, endpoint, _ in
            _ = try await client.call("POST", "/gateways", json: #"{"eui":"0016C001FF10A235","name":"mast","frequencyPlan":"EU868"}"#)
            func serial(_ reply: HTTPReply) throws -> String {
                try #require((try APIClient.object(reply)["certificate"] as? [String: Any])?["serial"] as? String)
            }
            let first = try serial(try await client.call("POST", "/gateways/0016C001FF10A235/certificates", json: "{}"))
            let second = try serial(try await client.call("POST", "/gateways/0016C001FF10A235/certificates", json: "{}"))
            let firstState = try APIClient.object(try await client.call("GET", "/certificates/\(first)"))
            #expect(firstState["revoked"] as? Bool == true)
            #expect(firstState["revocationReason"] as? String == "superseded")

            let revoked = try await client.call("POST", "/certificates/\(second)/revoke", json: #"{"reason":"keyCompromise"}"#)
            #expect(revoked.status == 200)
            let again = try await client.call("POST", "/certificates/\(second)/revoke", json: #"{"reason":"unspecified"}"#)
            #expect(again.status == 200)
            #expect(try APIClient.object(again)["revocationReason"] as? String == "keyCompromise", "the first revocation stands")
            #expect(try await client.call("POST", "/certificates/00ff/revoke", json: "{}").status == 404)
            #expect(try await client.call("POST", "/certificates/\(second)/revoke", json: #"{"reason":"bogus"}"#).status == 400)
            #expect(try await client.call("GET", "/gateways/0016C001FF10A235/certificate").status == 404, "no valid certificate left")

            let crlPath = endpoint.scratchDirectory + "/\(UUID().uuidString).crl"
            let fetched = try await ExternalTool.run("/usr/bin/curl", ["--silent", "--fail", "--output", crlPath, "http://127.0.0.1:\(endpoint.httpPort)/crl"], in: endpoint.scratchDirectory)
            #expect(fetched.exitCode == 0)
            let text = try await ExternalTool.run("/usr/bin/openssl", ["crl", "-inform", "DER", "-in", crlPath, "-noout", "-text"], in: endpoint.scratchDirectory)
            #expect(text.standardOutput.contains(first.uppercased()))
            #expect(text.standardOutput.contains(second.uppercased()))
            #expect(text.standardOutput.contains("Superseded"))
            #expect(text.standardOutput.contains("Key Compromise"))

            let audit = try await client.call("GET", "/audit?gateway=0016C001FF10A235")
            #expect(audit.status == 200)
            let actions = ((try APIClient.object(audit)["events"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
            #expect(actions.filter { $0 == "certificate.revoked" }.count == 2)
            #expect(actions.contains("certificate.issued"))
            #expect(try await client.call("GET", "/audit?from=yesterday").status == 400)
        }
    }

    @Test("the basicstation format answers a tar with cups.* and tc.* files")
    func basicStationBundle() async throws {
        try await withPKIServer { client, endpoint, _ in
            _ = try await client.call("POST", "/gateways", json: #"{"eui":"0016C001FF10A235","name":"mast","frequencyPlan":"EU868"}"#)
            let tar = endpoint.scratchDirectory + "/\(UUID().uuidString).tar"
            let reply = try await client.call(
                "POST", "/gateways/0016C001FF10A235/certificates",
                json: #"{"format":"basicstation","cupsURI":"https://localhost:8443","tcURI":"wss://localhost:8887"}"#, saveBodyTo: tar)
            #expect(reply.status == 201)
            #expect(reply.contentType == "application/x-tar")
            let listing = try await ExternalTool.run("/usr/bin/tar", ["-tvf", tar], in: endpoint.scratchDirectory)
            for name in ["cups.trust", "cups.crt", "cups.key", "tc.trust", "tc.crt", "tc.key", "cups.uri", "tc.uri"] {
                #expect(listing.standardOutput.contains(name), "\(name) missing")
            }
            let badURI = try await client.call(
                "POST", "/gateways/0016C001FF10A235/certificates", json: #"{"format":"basicstation","cupsURI":"https://localhost/path","tcURI":"wss://localhost:8887"}"#)
            #expect(badURI.status == 400)
        }
    }
}
