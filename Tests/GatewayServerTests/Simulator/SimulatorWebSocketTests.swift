import NIOCore
import NIOHTTP1
import NIOWebSocket
import StationSimulator
import Testing

@Suite("Station simulator: LNS websocket")
struct SimulatorWebSocketTests {
    let fixtures: SimulatorFixtures
    let connections: StationConnectionFactory

    init() throws {
        fixtures = try SimulatorFixtures()
        connections = try StationConnectionFactory(credentials: fixtures.stationCredentials())
    }

    static let routerInfo = #"{"router":"16:c001:ff10:a235"}"#

    private func routerInfo(on server: SimulatorTestServer) async throws -> StationWebSocket {
        try await connections.connectWebSocket(host: "127.0.0.1", port: server.port, path: "/router-info")
    }

    @Test("a websocket round trip echoes text")
    func textRoundTrip() async throws {
        try await fixtures.withServer { server in
            let socket = try await StationWebSocket.connect(
                host: "127.0.0.1", port: server.port, path: "/router-info", credentials: fixtures.stationCredentials())
            try await socket.send(text: Self.routerInfo)
            #expect(try await socket.receive() == .text(Self.routerInfo))
            await socket.close()
        }
    }

    @Test("binary frames round trip")
    func binaryRoundTrip() async throws {
        try await fixtures.withServer { server in
            let socket = try await routerInfo(on: server)
            let bytes: [UInt8] = Array(0...255)
            try await socket.send(binary: bytes)
            #expect(try await socket.receive() == .binary(bytes))
            await socket.close()
        }
    }

    @Test("an upgrade the server refuses is a typed error carrying the HTTP status")
    func upgradeRefused() async throws {
        try await fixtures.withServer { server in
            await #expect(throws: StationConnectionError.upgradeRefused(status: .forbidden)) {
                _ = try await connections.connectWebSocket(host: "127.0.0.1", port: server.port, path: "/forbidden")
            }
            await #expect(throws: StationConnectionError.upgradeRefused(status: .notFound)) {
                _ = try await connections.connectWebSocket(host: "127.0.0.1", port: server.port, path: "/traffic/0016C001FF10A235")
            }
        }
    }

    @Test("a station without a client certificate fails the TLS handshake with a server that demands one")
    func noClientCertificate() async throws {
        let trustOnly = try StationConnectionFactory(credentials: fixtures.trustOnlyCredentials())
        try await fixtures.withServer { server in
            let error = await #expect(throws: StationConnectionError.self) {
                _ = try await trustOnly.connectWebSocket(host: "127.0.0.1", port: server.port, path: "/router-info")
            }
            guard case .tlsHandshakeFailed(let reason) = error else {
                Issue.record("expected tlsHandshakeFailed, got \(String(describing: error))")
                return
            }
            #expect(!reason.isEmpty)
        }
    }

    @Test("the server's close is observed with its code and echoed with the same code")
    func serverClose() async throws {
        try await fixtures.withServer { server in
            let socket = try await routerInfo(on: server)
            try await socket.send(text: "close:4000")
            #expect(try await socket.receive() == nil)
            #expect(socket.closeCode == WebSocketErrorCode(codeNumber: 4000))
            var closeCodes = server.receivedCloseCodes.makeAsyncIterator()
            let echoed = await closeCodes.next()
            #expect(echoed == WebSocketErrorCode(codeNumber: 4000))
            await #expect(throws: StationConnectionError.notConnected) {
                try await socket.send(text: Self.routerInfo)
            }
        }
    }

    @Test("a connection dropped without a close frame ends with no close code")
    func dropped() async throws {
        try await fixtures.withServer { server in
            let socket = try await routerInfo(on: server)
            try await socket.send(text: "drop")
            #expect(try await socket.receive() == nil)
            #expect(socket.closeCode == nil)
        }
    }

    @Test("the station's close reaches the server with its code")
    func clientClose() async throws {
        try await fixtures.withServer { server in
            let socket = try await routerInfo(on: server)
            await socket.close(code: .goingAway)
            var closeCodes = server.receivedCloseCodes.makeAsyncIterator()
            #expect(await closeCodes.next() == .goingAway)
        }
    }

    @Test("a ping is answered with a pong carrying the same payload")
    func pingPong() async throws {
        try await fixtures.withServer { server in
            let socket = try await routerInfo(on: server)
            try await socket.send(text: "ping:abc")
            #expect(try await socket.receive() == .text("pong:abc"))
            await socket.close()
        }
    }

    @Test("a fragmented server frame is a protocol violation, as it is for the station")
    func fragmentedFrame() async throws {
        try await fixtures.withServer { server in
            let socket = try await routerInfo(on: server)
            try await socket.send(text: "fragment")
            let error = await #expect(throws: StationConnectionError.self) {
                _ = try await socket.receive()
            }
            guard case .protocolViolation = error else {
                Issue.record("expected protocolViolation, got \(String(describing: error))")
                return
            }
        }
    }

    @Test("a frame larger than the station's receive buffer is a protocol violation")
    func oversizedFrame() async throws {
        try await fixtures.withServer { server in
            let socket = try await connections.connectWebSocket(host: "127.0.0.1", port: server.port, path: "/router-info", maxFrameSize: 16)
            try await socket.send(text: String(repeating: "x", count: 17))
            let error = await #expect(throws: StationConnectionError.self) {
                _ = try await socket.receive()
            }
            guard case .protocolViolation = error else {
                Issue.record("expected protocolViolation, got \(String(describing: error))")
                return
            }
        }
    }

    @Test("more messages than the inbox holds all arrive, in order")
    func burst() async throws {
        try await fixtures.withServer { server in
            let socket = try await routerInfo(on: server)
            try await socket.send(text: "burst:200")
            for index in 0..<200 {
                #expect(try await socket.receive() == .text("\(index)"))
            }
            try await socket.send(text: Self.routerInfo)
            #expect(try await socket.receive() == .text(Self.routerInfo))
            await socket.close()
        }
    }

    @Test("many websockets share one factory's TLS context")
    func manyConnections() async throws {
        try await fixtures.withServer { server in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<32 {
                    group.addTask {
                        let socket = try await routerInfo(on: server)
                        try await socket.send(text: "station \(index)")
                        #expect(try await socket.receive() == .text("station \(index)"))
                        await socket.close()
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}
