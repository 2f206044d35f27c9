import NIOCore
import NIOHTTP1
import Testing

@testable import StationSimulator

@Suite("Station simulator: CUPS")
struct SimulatorCUPSTests {
    let fixtures: SimulatorFixtures

    init() throws {
        fixtures = try SimulatorFixtures()
    }

    /// A CUPS answer with every byte value, so a text conversion anywhere would show.
    static let binaryBody: [UInt8] = Array(0...255) + Array(repeating: 0, count: 14)
    static let request = Array(#"{"router":"16:c001:ff10:a235","cupsUri":null,"tcUri":null,"cupsCredCrc":2077607535,"tcCredCrc":2077607535,"station":"2.0.6(linux/std) 2024-01-01 00:00:00","model":"linux","package":null,"keys":[]}"#.utf8)

    @Test("a CUPS round trip returns the server's binary body byte for byte")
    func roundTrip() async throws {
        let credentials = try fixtures.stationCredentials()
        try await fixtures.withServer(cupsAnswer: .body(Self.binaryBody)) { server in
            let reply = try await CUPSClient.updateInfo(host: "127.0.0.1", port: server.port, credentials: credentials, body: Self.request)
            #expect(reply.status == .ok)
            #expect(reply.body == Self.binaryBody)
            #expect(reply.headers["Content-Length"] == ["\(Self.binaryBody.count)"])
        }
    }

    @Test("the request is the station's: POST /update-info, JSON, Host with port, the body as sent")
    func requestShape() async throws {
        let connections = try StationConnectionFactory(credentials: fixtures.stationCredentials())
        try await fixtures.withServer { server in
            _ = try await CUPSClient(connections: connections).updateInfo(host: "127.0.0.1", port: server.port, body: Self.request)
            let received = try #require(server.receivedCUPSRequests.first)
            #expect(received.head.method == .POST)
            #expect(received.head.uri == "/update-info")
            #expect(received.head.headers["Host"] == ["127.0.0.1:\(server.port)"])
            #expect(received.head.headers["Content-Type"] == ["application/json"])
            #expect(received.head.headers["Content-Length"] == ["\(Self.request.count)"])
            #expect(received.head.headers["Transfer-Encoding"].isEmpty)
            #expect(received.body == Self.request)
        }
    }

    @Test("the Content-Length value is right-aligned in five characters, as the station prints it")
    func contentLengthPadding() {
        let head = CUPSClient.requestHead(host: "localhost", port: 6038, contentLength: 230)
        #expect(head.headers["Content-Length"] == ["  230"])
        #expect(CUPSClient.requestHead(host: "localhost", port: 6038, contentLength: 123_456).headers["Content-Length"] == ["123456"])
    }

    @Test("one factory serves several CUPS requests, one connection each")
    func factoryReuse() async throws {
        let client = CUPSClient(connections: try StationConnectionFactory(credentials: fixtures.stationCredentials()))
        try await fixtures.withServer(cupsAnswer: .body([1, 2, 3])) { server in
            for _ in 0..<3 {
                let reply = try await client.updateInfo(host: "localhost", port: server.port, body: Self.request)
                #expect(reply.body == [1, 2, 3])
            }
            #expect(server.receivedCUPSRequests.count == 3)
        }
    }

    @Test("a refusal status is a reply, not an error")
    func refusalIsReply() async throws {
        let client = CUPSClient(connections: try StationConnectionFactory(credentials: fixtures.stationCredentials()))
        try await fixtures.withServer(cupsAnswer: .status(.forbidden)) { server in
            let reply = try await client.updateInfo(host: "127.0.0.1", port: server.port, body: Self.request)
            #expect(reply.status == .forbidden)
            #expect(reply.body.isEmpty)
        }
    }

    @Test("an answer without Content-Length is refused, as the station refuses chunked encoding")
    func missingContentLength() async throws {
        let client = CUPSClient(connections: try StationConnectionFactory(credentials: fixtures.stationCredentials()))
        try await fixtures.withServer(cupsAnswer: .chunked(Self.binaryBody)) { server in
            await #expect(throws: StationConnectionError.missingContentLength(status: .ok)) {
                _ = try await client.updateInfo(host: "127.0.0.1", port: server.port, body: Self.request)
            }
        }
    }

    @Test("a body cut short of its Content-Length is reported with both lengths")
    func truncatedBody() async throws {
        let client = CUPSClient(connections: try StationConnectionFactory(credentials: fixtures.stationCredentials()))
        try await fixtures.withServer(cupsAnswer: .truncated(declared: 100, body: Array(repeating: 7, count: 10))) { server in
            await #expect(throws: StationConnectionError.contentLengthMismatch(declared: 100, received: 10)) {
                _ = try await client.updateInfo(host: "127.0.0.1", port: server.port, body: Self.request)
            }
        }
    }

    @Test("bytes beyond the Content-Length are an error, as they are for the station")
    func bytesBeyondBody() async throws {
        let client = CUPSClient(connections: try StationConnectionFactory(credentials: fixtures.stationCredentials()))
        try await fixtures.withServer(cupsAnswer: .trailing(body: Array(repeating: 0, count: 14), extra: Array("garbage".utf8))) { server in
            await #expect(throws: StationConnectionError.bytesBeyondContentLength) {
                _ = try await client.updateInfo(host: "127.0.0.1", port: server.port, body: Self.request)
            }
        }
    }

    @Test("a station without a client certificate fails the TLS handshake with a server that demands one")
    func noClientCertificate() async throws {
        let client = CUPSClient(connections: try StationConnectionFactory(credentials: fixtures.trustOnlyCredentials()))
        try await fixtures.withServer { server in
            let error = await #expect(throws: StationConnectionError.self) {
                _ = try await client.updateInfo(host: "127.0.0.1", port: server.port, body: Self.request)
            }
            #expect(error?.isTLSHandshakeFailure == true, "\(String(describing: error))")
            #expect(server.receivedCUPSRequests.isEmpty)
        }
    }

    @Test("nothing listening is a connection failure, not a TLS failure")
    func nothingListening() async throws {
        let client = CUPSClient(connections: try StationConnectionFactory(credentials: fixtures.stationCredentials()))
        let port = try await SimulatorFixtures.closedPort()
        let error = await #expect(throws: StationConnectionError.self) {
            _ = try await client.updateInfo(host: "127.0.0.1", port: port, body: Self.request)
        }
        guard case .connectionFailed = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
    }
}
