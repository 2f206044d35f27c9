import BackendInterfaces
import Foundation
import GatehouseServer
import GatewayPKI
import JoinServer
import LoRaWAN
import Logging
import Testing

/// DESIGN.md invariant 6: DevNonce and JoinNonce state survives a crash. A real `gatehouse serve`
/// process answers a burst of joins and is killed with SIGKILL in the middle; after a restart on the
/// same data directory, every join-request that had been answered is refused as a replay.
@Suite("Join Server crash safety")
struct JoinCrashSafetyTests {
    @Test("every join-request answered before a SIGKILL is refused after the restart")
    func replayAfterKill() async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let services = try await GatehouseServices.open(configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let credentials: ServerCredentials
        do {
            _ = try await services.pki.initializeAuthority(actor: "test")
            try await services.joinDevices.setPeerKEK(.networkServer(JoinServiceHarness.netID), JoinServiceHarness.nsKEK, actor: "test")
            _ = try await services.joinDevices.create(NewJoinDevice(
                devEUI: JoinServiceHarness.legacyDevEUI, joinEUI: JoinServiceHarness.legacyJoinEUI, macVersion: .v1_0_3,
                rootKeys: .legacy(appKey: JoinServiceHarness.legacyAppKey), owner: "test"), actor: "test")
            _ = try await services.joinDevices.create(NewJoinDevice(
                devEUI: JoinServiceHarness.modernDevEUI, joinEUI: JoinServiceHarness.modernJoinEUI, macVersion: .v1_1,
                rootKeys: .separate(nwkKey: JoinServiceHarness.modernNwkKey, appKey: JoinServiceHarness.modernAppKey), owner: "test"), actor: "test")
            credentials = try await services.pki.issueBackendClientCertificate(commonName: "ns:000031", validityDays: 30, actor: "test")
        } catch {
            await services.close()
            throw error
        }
        await services.close()

        // A burst: several Network Server connections joining the 1.0.3 device with fresh random-order
        // DevNonces, and the 1.1 device counting up, until the server is killed under them.
        let first = try await ServeProcess.start(dataDirectory: directory.file("data"), scratch: directory.file("first"))
        let answered = AnsweredJoins()
        let killAfter = 150
        let client = try JoinServiceHarness.client(endpoint: first.endpoint, credentials: credentials, port: first.backendPort)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var nonce = UInt16(worker)
                    while nonce < 60_000 {
                        let request = JoinRequests.legacy(devNonce: nonce)
                        guard let answer = try? await client.join(request) else { return }
                        if answer.result.isSuccess { await answered.add(request) }
                        nonce += 6
                    }
                }
            }
            group.addTask {
                var nonce: UInt16 = 1
                while nonce < 60_000 {
                    let request = JoinRequests.modern(devNonce: nonce)
                    guard let answer = try? await client.join(request) else { return }
                    if answer.result.isSuccess { await answered.add(request) }
                    nonce += 1
                }
            }
            group.addTask {
                while await answered.count < killAfter { try? await Task.sleep(for: .milliseconds(5)) }
                first.kill()
            }
        }
        try? await client.shutdown()
        let replays = await answered.requests
        #expect(replays.count >= killAfter)

        let second = try await ServeProcess.start(dataDirectory: directory.file("data"), scratch: directory.file("second"))
        defer { second.kill() }
        let replayClient = try JoinServiceHarness.client(endpoint: second.endpoint, credentials: credentials, port: second.backendPort)
        var accepted: [String] = []
        for request in replays {
            let answer = try await replayClient.join(request)
            if answer.result.isSuccess || answer.result.code != .joinReqFailed {
                accepted.append("\(request.devEUI) DevNonce \(try JoinRequest(decoding: request.phyPayload).devNonce): \(answer.result)")
            }
        }
        #expect(accepted.isEmpty, "replays answered after the restart: \(accepted.prefix(5))")
        // The restarted server still joins fresh nonces.
        #expect(try await replayClient.join(JoinRequests.legacy(devNonce: 60_001)).result.code == .success)
        try await replayClient.shutdown()
    }
}

/// The join-requests the Join Server answered with Success.
private actor AnsweredJoins {
    private(set) var requests: [JoinReq] = []
    var count: Int { requests.count }
    func add(_ request: JoinReq) { requests.append(request) }
}

/// `gatehouse serve` as its own process, so it can be killed with SIGKILL.
struct ServeProcess: Sendable {
    let process: Process
    let backendPort: Int
    let endpoint: TestEndpoint
    /// The gateway (CUPS and LNS) listener's port.
    let gatewayPort: Int
    /// The HTTPS API's port and certificate.
    let apiPort: Int
    let apiCertificatePath: String

    static func start(dataDirectory: String, scratch: String) async throws -> ServeProcess {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let output = scratch + "/serve.out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gatehouseExecutable())
        process.arguments = [
            "serve", "--data-dir", dataDirectory, "--bind", "127.0.0.1", "--api-port", "0", "--http-port", "0", "--gateway-port", "0",
            "--gateway-host", "localhost", "--backend-port", "0", "--log-level", "warning",
        ]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The banner names the Join Server's URL once every listener is bound.
        for _ in 0..<600 {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            func port(after prefix: String) -> Int? {
                guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
                    let url = line.split(separator: " ").first(where: { $0.hasPrefix("https://") })
                else { return nil }
                return url.split(separator: ":").last.flatMap { Int($0) }
            }
            if let backend = port(after: "Join Server"), let gateway = port(after: "Gateways"), let api = port(after: "Gatehouse "),
                let certificate = text.split(separator: "\n").first(where: { $0.hasPrefix("Trust this certificate") })?.split(separator: " ").last
            {
                return ServeProcess(
                    process: process, backendPort: backend,
                    endpoint: TestEndpoint(port: 0, certificatePath: "", httpPort: 0, scratchDirectory: scratch), gatewayPort: gateway,
                    apiPort: api, apiCertificatePath: String(certificate))
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw ScaffoldingFailure(description: "gatehouse serve did not start: \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
    }

    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// The `gatehouse` executable built beside this test bundle.
func gatehouseExecutable() -> String {
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    var directory = bundle.deletingLastPathComponent()
    // `swift test` runs `<bin>/GatehousePackageTests.xctest`; the executable sits in `<bin>`.
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("gatehouse").path), directory.path != "/" {
        directory.deleteLastPathComponent()
    }
    return directory.appendingPathComponent("gatehouse").path
}
