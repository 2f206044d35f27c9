import ApplicationServer
import BackendInterfaces
import Foundation
import GatehouseServer
import LoRaWAN
import Storage
import Testing

/// `gatehouse app` on a real data directory, and `gatehouse events` / `gatehouse downlink` against a
/// real HTTPS listener, run as the built executable.
@Suite("Application CLI")
struct ApplicationCLITests {
    private func run(_ arguments: [String], _ directory: borrowing TemporaryDirectory) async throws -> ToolResult {
        try await GatehouseCLI.run(arguments + ["--data-dir", directory.file("data")], in: directory.path)
    }

    @Test("app create, list, show, add-webhook, rotate-secret, assign, unassign, remove-webhook, delete; secrets printed once, alone on stdout")
    func lifecycle() async throws {
        let directory = try TemporaryDirectory()
        let created = try await run(["app", "create", "weather", "--name", "Weather stations"], directory)
        #expect(created.exitCode == 0, "\(created.standardError)")
        #expect(created.standardError == "Application weather created; its webhook secret is shown once:\n")
        let secret = created.standardOutput.trimmingCharacters(in: .newlines)
        #expect(secret.hasPrefix("whsec_") && secret.count == 70)

        let duplicate = try await run(["app", "create", "weather", "--name", "Again"], directory)
        #expect(duplicate.exitCode == 1)
        #expect(duplicate.standardError == "gatehouse: application weather already exists\n")
        let badID = try await run(["app", "create", "Weather", "--name", "x"], directory)
        #expect(badID.exitCode == 2)
        #expect(badID.standardError == "gatehouse: ID: an application id is 1 to 64 lower-case letters, digits, '-', '_' or '.'\n")

        let added = try await run(["app", "add-webhook", "weather", "https://hooks.example.com/in?token=abc"], directory)
        #expect(added.exitCode == 0, "\(added.standardError)")
        let webhookID = added.standardOutput.trimmingCharacters(in: .newlines)
        #expect(UUID(uuidString: webhookID) != nil)
        #expect(added.standardError == "Webhook added to weather: https://hooks.example.com\n")
        let badURL = try await run(["app", "add-webhook", "weather", "ftp://example.com"], directory)
        #expect(badURL.exitCode == 1)
        #expect(badURL.standardError == "gatehouse: a webhook URL must start with https:// or http://\n")

        #expect(try await run(["app", "assign", "weather", "0004A30B001C0530"], directory).exitCode == 0)
        let shown = try await run(["app", "show", "weather"], directory)
        #expect(shown.exitCode == 0)
        #expect(shown.standardOutput.contains("Name           Weather stations"))
        #expect(shown.standardOutput.contains("  \(webhookID)  https://hooks.example.com/in?token=abc"))
        #expect(shown.standardOutput.contains("  0004A30B001C0530"))
        #expect(!shown.standardOutput.contains(secret))

        let rotated = try await run(["app", "rotate-secret", "weather"], directory)
        #expect(rotated.exitCode == 0)
        let newSecret = rotated.standardOutput.trimmingCharacters(in: .newlines)
        #expect(newSecret.hasPrefix("whsec_") && newSecret != secret)

        let notAssigned = try await run(["app", "unassign", "weather", "0004A30B001C0599"], directory)
        #expect(notAssigned.exitCode == 1)
        #expect(notAssigned.standardError == "gatehouse: device 0004A30B001C0599 is not assigned to application weather\n")
        #expect(try await run(["app", "unassign", "weather", "0004A30B001C0530"], directory).exitCode == 0)
        #expect(try await run(["app", "remove-webhook", "weather", webhookID], directory).exitCode == 0)
        #expect(try await run(["app", "remove-webhook", "weather", webhookID], directory).exitCode == 1)

        let list = try await run(["app", "list"], directory)
        #expect(list.exitCode == 0, "\(list.standardError)")
        #expect(list.standardOutput == "weather  0 webhooks  Weather stations\n")
        for output in [shown, list, added] { #expect(!(output.standardOutput + output.standardError).contains(newSecret)) }

        #expect(try await run(["app", "delete", "weather"], directory).standardOutput == "Deleted application weather\n")
        let gone = try await run(["app", "show", "weather"], directory)
        #expect(gone.exitCode == 1)
        #expect(gone.standardError == "gatehouse: application weather does not exist\n")
    }

    @Test("events follows the live stream over HTTPS with --cacert and prints one JSON line per event until Ctrl-C")
    func eventsFollow() async throws {
        let directory = try TemporaryDirectory()
        // A quick heartbeat: the server notices a client that went away at its next write.
        try await withApplicationAPI(heartbeat: .milliseconds(200), tls: true) { api in
            #expect(try await api.call("POST", "/applications", json: ApplicationAPIHarness.json(["id": "app", "name": "App"])).status == 201)
            #expect(try await api.call("PUT", "/applications/app/devices/0004A30B001C0530").status == 200)
            try api.apiKey.write(toFile: directory.file("token"), atomically: true, encoding: .utf8)
            let cacert = try #require(api.certificatePath)
            let events = try BackgroundCLI(
                ["events", "--follow", "--application", "app", "--api", "https://localhost:\(api.port)", "--token-file", "token", "--cacert", cacert],
                in: directory.path)
            #expect(await eventually { api.application.stream.subscriberCount == 1 }, "not subscribed: \(events.standardError)")
            await api.application.server.networkEvent(NetworkEvent(
                kind: .replayDropped, devEUI: EUI64(0x0004_A30B_001C_0530), devAddr: DevAddr(0x2601_1BDA), detail: "FCnt 4 does not advance", time: Date()))
            #expect(await eventually { events.standardOutput.contains("\n") }, "no event printed: \(events.standardError)")
            let lines = events.standardOutput.split(separator: "\n")
            #expect(lines.count == 1)
            let event = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
            #expect(event["type"] as? String == "error")
            #expect(event["application_id"] as? String == "app")
            let status = await events.interrupt()
            #expect(status == SIGINT, "\(events.standardError)")
            #expect(!events.standardError.contains(api.apiKey))
            #expect(await eventually { api.application.stream.subscriberCount == 0 })
        }
    }

    @Test("events: a wrong key is one line with the API's message, exit 1; a wrong --cacert a TLS failure, exit 1")
    func eventsRefused() async throws {
        let directory = try TemporaryDirectory()
        try await withApplicationAPI(tls: true) { api in
            let cacert = try #require(api.certificatePath)
            let wrongKey = try await GatehouseCLI.run(
                ["events", "--api", "https://localhost:\(api.port)", "--token", "gh_wrong", "--cacert", cacert], in: directory.path)
            #expect(wrongKey.exitCode == 1)
            #expect(wrongKey.standardError == "gatehouse: the API answered 401: A valid API key is required: send Authorization: Bearer <key>.\n")
            let unknown = try await GatehouseCLI.run(
                ["events", "--application", "nope", "--api", "https://localhost:\(api.port)", "--token", api.apiKey, "--cacert", cacert], in: directory.path)
            #expect(unknown.exitCode == 1)
            #expect(unknown.standardError == "gatehouse: the API answered 404: application nope does not exist\n")

            let other = try TemporaryDirectory.otherCertificate(in: directory)
            let untrusted = try await GatehouseCLI.run(
                ["events", "--api", "https://localhost:\(api.port)", "--token", api.apiKey, "--cacert", other], in: directory.path)
            #expect(untrusted.exitCode == 1)
            #expect(untrusted.standardError.hasPrefix("gatehouse: TLS with the API failed"), "\(untrusted.standardError)")
        }
    }

    @Test("downlink push, list and clear through the REST API")
    func downlinks() async throws {
        let directory = try TemporaryDirectory()
        try await withApplicationAPI(tls: true) { api in
            let devEUI = EUI64(0x0004_A30B_001C_0530)
            let appSKey = AppSKey(bytes: Array(repeating: 0x11, count: 16))!
            try await api.services.store.applicationSessions.store(
                ApplicationSession(devEUI: devEUI, devAddr: DevAddr(0x2601_1BDA), sessionKeyID: [1, 2], appSKey: appSKey, createdAt: Date()))
            api.network.setSession(devEUI, sessionKeyID: [1, 2], nextFCnt: 5)
            let remote = ["--api", "https://localhost:\(api.port)", "--token", api.apiKey, "--cacert", try #require(api.certificatePath)]

            let pushed = try await GatehouseCLI.run(["downlink", "push", "0004A30B001C0530", "--f-port", "3", "--payload-hex", "010203", "--confirmed"] + remote, in: directory.path)
            #expect(pushed.exitCode == 0, "\(pushed.standardError)")
            #expect(pushed.standardOutput.contains("for 0004A30B001C0530 on FPort 3 with FCnt 5, confirmed"))
            let listed = try await GatehouseCLI.run(["downlink", "list", "0004A30B001C0530"] + remote, in: directory.path)
            #expect(listed.exitCode == 0, "\(listed.standardError)")
            #expect(listed.standardOutput.contains("FPort 3  FCnt 5  confirmed    AQID"))
            let tooLong = try await GatehouseCLI.run(
                ["downlink", "push", "0004A30B001C0530", "--f-port", "3", "--payload", Data(count: 60).base64EncodedString()] + remote, in: directory.path)
            #expect(tooLong.exitCode == 1)
            #expect(tooLong.standardError == "gatehouse: the API answered 422: the payload is 60 bytes; the device's current data rate allows 51\n")
            #expect(try await GatehouseCLI.run(["downlink", "clear", "0004A30B001C0530"] + remote, in: directory.path).exitCode == 0)
            #expect(try await api.network.queued(devEUI: devEUI).isEmpty)
            let noPayload = try await GatehouseCLI.run(["downlink", "push", "0004A30B001C0530", "--f-port", "3"] + remote, in: directory.path)
            #expect(noPayload.exitCode == 2)
        }
    }
}

extension TemporaryDirectory {
    /// A self-signed certificate unrelated to any server, as a wrong `--cacert`.
    static func otherCertificate(in directory: borrowing TemporaryDirectory) throws -> String {
        let path = directory.file("other.pem")
        let result = Process()
        result.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        result.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", directory.file("other.key"), "-out", path,
            "-subj", "/CN=localhost", "-days", "1",
        ]
        result.standardOutput = FileHandle.nullDevice
        result.standardError = FileHandle.nullDevice
        try result.run()
        result.waitUntilExit()
        return path
    }
}
