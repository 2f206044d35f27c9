import Foundation
import GatehouseServer
import Testing

@Suite("HTTPS API")
struct HTTPSAPITests {
    @Test("GET /healthz answers 200 with {\"status\":\"ok\"} over verified HTTPS")
    func healthz() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            let reply = try await ExternalTool.curl("/healthz", on: endpoint)
            #expect(reply.status == 200)
            #expect(reply.contentType.hasPrefix("application/json"))
            #expect(reply.body == #"{"status":"ok"}"#)
        }
    }

    @Test("GET /version names the product, its version and the specifications it speaks")
    func version() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            let reply = try await ExternalTool.curl("/version", on: endpoint)
            #expect(reply.status == 200)
            let version = try JSONDecoder().decode(VersionBody.self, from: Data(reply.body.utf8))
            #expect(
                version
                    == VersionBody(
                        name: "gatehouse",
                        version: GatehouseVersion.current,
                        lorawan: ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4", "1.1"],
                        backendInterfaces: "1.0"
                    )
            )
        }
    }

    @Test("GET /metrics exposes the build info and HTTP request metrics in Prometheus text format")
    func metrics() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            _ = try await ExternalTool.curl("/healthz", on: endpoint)
            let reply = try await ExternalTool.curl("/metrics", on: endpoint)
            #expect(reply.status == 200)
            #expect(reply.contentType == "text/plain; version=0.0.4")
            #expect(reply.body.contains("gatehouse_build_info{version=\"\(GatehouseVersion.current)\"} 1"))
            #expect(reply.body.contains(#"hb_requests{http_route="/healthz",http_request_method="GET",http_response_status_code="200"}"#))
            #expect(reply.body.contains("http_server_request_duration_bucket"))
        }
    }

    @Test("an unknown path answers 404 with a JSON error body")
    func unknownPath() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            let reply = try await ExternalTool.curl("/no/such/thing", on: endpoint)
            #expect(reply.status == 404)
            #expect(reply.contentType.hasPrefix("application/json"))
            let error = try JSONDecoder().decode(ErrorBody.self, from: Data(reply.body.utf8)).error
            #expect(error.code == "not_found")
            #expect(error.message == "There is no GET /no/such/thing on this server.")
        }
    }

    @Test("a known path with the wrong method answers 404 with a JSON error body, never a 5xx")
    func wrongMethod() async throws {
        let directory = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data"))) { endpoint in
            for method in ["POST", "DELETE", "PUT"] {
                let reply = try await ExternalTool.curl("/healthz", on: endpoint, method: method)
                #expect(reply.status == 404)
                let error = try JSONDecoder().decode(ErrorBody.self, from: Data(reply.body.utf8)).error
                #expect(error.code == "not_found")
                #expect(error.message.contains("\(method) /healthz"))
            }
        }
    }

    @Test("a refused request is logged at info with its status and error code")
    func refusalIsLogged() async throws {
        let directory = try TemporaryDirectory()
        let log = CapturedLog()
        try await withRunningServer(testConfiguration(dataDirectory: directory.file("data")), log: log) { endpoint in
            _ = try await ExternalTool.curl("/missing", on: endpoint)
        }
        #expect(log.count(containing: "info gatehouse: Request refused: There is no GET /missing on this server.") == 1)
        #expect(log.count(containing: "error.code=not_found") == 1)
        #expect(log.count(containing: "debug gatehouse: Request") >= 1)
    }
}

private struct VersionBody: Decodable, Equatable {
    var name: String
    var version: String
    var lorawan: [String]
    var backendInterfaces: String
}

private struct ErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
    }
    var error: Detail
}

@Suite("Listener start-up")
struct ListenerStartupTests {
    @Test("a port already in use gives a typed error naming the address, not a socket error")
    func portInUse() async throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        try await withRunningServer(testConfiguration(dataDirectory: first.path)) { endpoint in
            var configuration = try testConfiguration(dataDirectory: second.path)
            configuration.apiPort = endpoint.port
            let server = try GatehouseServer(configuration: configuration, logDestination: .lines { _ in })
            await #expect(throws: GatehouseServerError.cannotListen(host: "127.0.0.1", port: endpoint.port, reason: "Address already in use")) {
                try await server.run()
            }
        }
    }
}
