import Foundation
import GatehouseServer
import Logging
import Storage
import Testing

/// The Application routes as `gatehouse serve` mounts them: the real HTTPS listener, curl as the client.
@Suite("Application routes in the server")
struct ApplicationServerWiringTests {
    @Test("the HTTPS API serves /applications and a text/event-stream at /events, behind API keys")
    func mounted() async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let services = try await GatehouseServices.open(configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let key = try await services.store.apiKeys.create(name: "tests", at: Date(), actor: "test").plaintextKey
        await services.close()
        try await withRunningServer(configuration) { endpoint in
            let client = APIClient(endpoint: endpoint, apiKey: key)
            let created = try await client.call("POST", "/applications", json: #"{"id":"app","name":"App"}"#)
            #expect(created.status == 201)
            #expect(try await APIClient(endpoint: endpoint, apiKey: nil).call("GET", "/applications/app").status == 401)

            // curl -N keeps reading the stream; --max-time ends it (exit 28) after the opening arrived.
            let stream = try await ExternalTool.run("/usr/bin/curl", [
                "--silent", "--no-buffer", "--max-time", "2", "--cacert", endpoint.certificatePath, "--resolve", "localhost:\(endpoint.port):127.0.0.1",
                "--header", "Authorization: Bearer \(key)", "--include", "https://localhost:\(endpoint.port)/api/v1/events?application=app",
            ], in: endpoint.scratchDirectory)
            #expect(stream.exitCode == 28)
            #expect(stream.standardOutput.hasPrefix("HTTP/1.1 200"))
            #expect(stream.standardOutput.lowercased().contains("content-type: text/event-stream; charset=utf-8"))
            #expect(stream.standardOutput.contains("retry: 5000\n: gatehouse events, application app\n\n"))

            // `gatehouse events` pins the development certificate and gets the same stream.
            try key.write(toFile: directory.file("token"), atomically: true, encoding: .utf8)
            let events = try BackgroundCLI(
                ["events", "--api", "https://localhost:\(endpoint.port)", "--token-file", directory.file("token"), "--cacert", endpoint.certificatePath],
                in: directory.path)
            try await Task.sleep(for: .seconds(1))
            #expect(events.isRunning, "gatehouse events stopped: \(events.standardError)")
            #expect(await events.interrupt() == SIGINT)
        }
    }
}
