import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import StationSimulator

/// `gatehouse bench connections`: how many LNS traffic connections the gateway listener holds, and
/// what each costs in the server's memory.
///
/// N gateways are registered and given certificates (server-generated P-256 keys) in a temporary
/// data directory, then `gatehouse serve` starts on it as a child process. N simulated stations,
/// each with its own certificate, open `/traffic/<EUI>` over mutual TLS (TLS 1.2, as Basics Station),
/// send `version` and wait for `router_config`; a bounded number are in flight at once. The server's
/// resident memory is read before the first connection, with half connected and with all connected;
/// the figure is the growth per connection. Every connection is then checked: the API's count of live
/// traffic connections, and a `timesync` answered on each socket. Last, every station disconnects and
/// connects again, and the memory is read once more: freed memory the allocator reuses is already
/// resident, so this second figure is what a long-running server pays.
///
/// The in-run reference is the simulator's own memory per connection: the same NIO, TLS and websocket
/// stack on the other end of each socket (plus a TLS context per station, since each has its own
/// certificate).
struct ConnectionBenchmark {
    let count: Int
    let concurrency: Int
    /// Times every station disconnects and reconnects after the first connection.
    var reconnectRounds = 1
    static let targetBytesPerConnection = 50 * 1024
    static let versionMessage = #"{"msgtype":"version","station":"2.0.6(bench/sim)","firmware":null,"package":null,"model":"bench","protocol":2,"features":""}"#

    func run() async throws {
        try Self.raiseFileDescriptorLimit(toAtLeast: count + 256)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        print("Gatehouse connection benchmark (\(CoreBenchmark.buildMode) build, \(ProcessInfo.processInfo.activeProcessorCount) cores): \(count) LNS traffic connections, \(concurrency) in flight")

        let setupStart = ContinuousClock.now
        let fleet = try await ConnectionBenchmarkFleet.make(count: count, dataDirectory: directory)
        print(String(format: "  %d gateways registered and certificates issued in-process in %.1f s", count, PKIBenchmark.seconds(ContinuousClock.now - setupStart)))

        let server = try await ConnectionBenchmarkServer.start(dataDirectory: directory, logLevel: "warning")
        defer { server.stop() }
        print("  gatehouse serve (pid \(server.pid)) on 127.0.0.1, gateway port \(server.gatewayPort)")
        let result = try await measure(fleet: fleet, server: server)
        result.print(count: count)
        guard result.failures.isEmpty, result.heldByAPI == count, result.answered == count, result.reconnected == count else {
            throw CommandLineFailure.invalidData("not every connection was opened and held; server log:\n\(server.logTail())")
        }
    }

    private func measure(fleet: ConnectionBenchmarkFleet, server: ConnectionBenchmarkServer) async throws -> ConnectionBenchmarkResult {
        var result = ConnectionBenchmarkResult()
        try await Task.sleep(for: .seconds(1))
        result.serverBefore = try server.memory()
        result.clientBefore = try ProcessMemory.current()

        let half = count / 2
        let start = ContinuousClock.now
        var sockets = try await connect(fleet.gateways[0..<half], fleet: fleet, port: server.gatewayPort, failures: &result.failures)
        let halfDuration = ContinuousClock.now - start
        try await Task.sleep(for: .seconds(1))
        result.serverHalf = try server.memory()
        result.halfConnected = sockets.count
        let secondStart = ContinuousClock.now
        sockets += try await connect(fleet.gateways[half...], fleet: fleet, port: server.gatewayPort, failures: &result.failures)
        result.connectSeconds = PKIBenchmark.seconds(halfDuration + (ContinuousClock.now - secondStart))
        try await Task.sleep(for: .seconds(1))
        result.serverAll = try server.memory()
        result.clientAll = try ProcessMemory.current()
        result.connected = sockets.count

        result.heldByAPI = try await Self.trafficConnections(apiPort: server.apiPort, apiKey: fleet.apiKey)
        let roundStart = ContinuousClock.now
        result.answered = await timeSyncRound(sockets)
        result.roundSeconds = PKIBenchmark.seconds(ContinuousClock.now - roundStart)
        try await Task.sleep(for: .seconds(1))
        result.serverAfterRound = try server.memory()

        // Every station reconnects (as after a network outage): the server's allocator now hands out
        // memory the first connections touched, so this is the figure a long-running server sees.
        // More than one round shows whether memory settles (allocator reuse) or keeps growing (a leak).
        for round in 0..<max(1, reconnectRounds) {
            for socket in sockets { await socket.close() }
            sockets = []
            try await Self.waitForNoTrafficConnections(apiPort: server.apiPort, apiKey: fleet.apiKey)
            result.serverDisconnected = try server.memory()
            var reconnectFailures: [String] = []
            sockets = try await connect(fleet.gateways[...], fleet: fleet, port: server.gatewayPort, failures: &reconnectFailures)
            result.reconnected = sockets.count
            try await Task.sleep(for: .seconds(1))
            result.serverReconnected = try server.memory()
            result.serverReconnectedRounds.append(result.serverReconnected)
            result.failures += reconnectFailures.map { "reconnect round \(round + 1): \($0)" }
        }
        for socket in sockets { socket.channel.close(promise: nil) }
        return result
    }

    private static func waitForNoTrafficConnections(apiPort: Int, apiKey: String) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while try await trafficConnections(apiPort: apiPort, apiKey: apiKey) > 0 {
            guard ContinuousClock.now < deadline else { throw CommandLineFailure.invalidData("the server still lists connections 60 s after every station closed") }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// Opens a traffic websocket for each gateway, at most `concurrency` in flight; returns those that
    /// got their `router_config`, and records why the others failed.
    private func connect(
        _ gateways: ArraySlice<ConnectionBenchmarkGateway>, fleet: ConnectionBenchmarkFleet, port: Int, failures: inout [String]
    ) async throws -> [StationWebSocket] {
        let trustPEM = fleet.trustAnchorPEM
        return try await withThrowingTaskGroup(of: Result<StationWebSocket, any Error>.self) { group in
            var pending = gateways.makeIterator()
            func startNext() -> Bool {
                guard let gateway = pending.next() else { return false }
                group.addTask {
                    do { return .success(try await Self.openTrafficSocket(gateway, trustPEM: trustPEM, port: port)) } catch { return .failure(error) }
                }
                return true
            }
            for _ in 0..<concurrency where !startNext() { break }
            var opened: [StationWebSocket] = []
            opened.reserveCapacity(gateways.count)
            while let outcome = try await group.next() {
                switch outcome {
                case .success(let socket): opened.append(socket)
                case .failure(let error): failures.append(String(describing: error))
                }
                _ = startNext()
            }
            return opened
        }
    }

    /// One station: its own TLS context (its own certificate), the traffic websocket, `version`, and
    /// the `router_config` answer.
    private static func openTrafficSocket(_ gateway: ConnectionBenchmarkGateway, trustPEM: String, port: Int) async throws -> StationWebSocket {
        let credentials = try StationTLSCredentials(
            trustRootsPEM: trustPEM, certificateChainPEM: gateway.certificatePEM, privateKeyPEM: gateway.privateKeyPEM)
        let factory = try StationConnectionFactory(credentials: credentials)
        let socket = try await factory.connectWebSocket(host: "127.0.0.1", port: port, path: "/traffic/\(gateway.eui)")
        do {
            try await socket.send(text: versionMessage)
            guard try await messageType(of: socket.receive()) == "router_config" else {
                throw CommandLineFailure.invalidData("\(gateway.eui): no router_config after version")
            }
            return socket
        } catch {
            await socket.close()
            throw error
        }
    }

    /// Sends `timesync` on every socket and counts the answers: every connection is alive end to end.
    private func timeSyncRound(_ sockets: [StationWebSocket]) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            var pending = sockets.makeIterator()
            func startNext() -> Bool {
                guard let socket = pending.next() else { return false }
                group.addTask {
                    guard (try? await socket.send(text: #"{"msgtype":"timesync","txtime":1234567}"#)) != nil else { return false }
                    return (try? await Self.messageType(of: socket.receive())) == "timesync"
                }
                return true
            }
            for _ in 0..<concurrency where !startNext() { break }
            var answered = 0
            while let ok = await group.next() {
                if ok { answered += 1 }
                _ = startNext()
            }
            return answered
        }
    }

    private static func messageType(of message: StationWebSocket.Message?) -> String? {
        guard case .text(let text)? = message,
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { return nil }
        return object["msgtype"] as? String
    }

    /// The live traffic connections the server's API lists.
    private static func trafficConnections(apiPort: Int, apiKey: String) async throws -> Int {
        var tls = TLSConfiguration.makeClientConfiguration()
        // The server's own development certificate on loopback; see PKIBenchmark.apiRate.
        tls.certificateVerification = .none
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        do {
            var request = HTTPClientRequest(url: "https://127.0.0.1:\(apiPort)/api/v1/connections")
            request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 256 << 20)
            guard response.status == .ok else { throw CommandLineFailure.invalidData("GET /api/v1/connections answered \(response.status)") }
            let list = try JSONDecoder().decode(ConnectionList.self, from: Data(body.readableBytesView))
            try await client.shutdown()
            return list.connections.filter { $0.kind == "traffic" }.count
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private struct ConnectionList: Decodable {
        struct Entry: Decodable { let kind: String }
        let connections: [Entry]
    }

    /// Each connection is a file descriptor here and in the server (which inherits the limit).
    static func raiseFileDescriptorLimit(toAtLeast needed: Int) throws {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < rlim_t(needed) {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(max(needed, 65_536)))
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        guard limit.rlim_cur >= rlim_t(needed) else {
            throw CommandLineFailure.usage("--count \(needed - 256) needs \(needed) file descriptors; the hard limit is \(limit.rlim_max) (raise ulimit -Hn)")
        }
    }
}
