import Foundation
import ApplicationServer
import LoRaWAN
import Logging
import GatehouseServer
import StationSimulator

/// `gatehouse demo`: the whole path on one machine, in a temporary directory, printing each step. A
/// server on SQLite with every role; the CA, a gateway with its certificate, an application with a
/// webhook and a LoRaWAN 1.1 device provisioned as an operator would; then a simulated LoRa Basics
/// Station connects over mutual TLS, the device joins, sends uplinks that arrive decrypted at the
/// webhook receiver and on the live stream, and receives a confirmed downlink that it acknowledges.
/// Throws at the first step that does not happen as it should.
struct GatehouseDemo: Sendable {
    let report: @Sendable (String) -> Void
    let keepDirectory: Bool

    init(keepDirectory: Bool = false, report: @escaping @Sendable (String) -> Void) {
        self.report = report
        self.keepDirectory = keepDirectory
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { if !keepDirectory { try? FileManager.default.removeItem(at: directory) } }
        report("data directory \(directory.path) (SQLite; removed at the end)")
        let configuration = GatehouseConfiguration(
            dataDirectory: directory.path, bindHost: "127.0.0.1", apiPort: 0, logLevel: .notice, httpPort: 0, gatewayPort: 0, backendPort: 0)
        let observations = DemoObservations()
        let receiver = LocalWebhookReceiver()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let webhook = AsyncStream<URL>.makeStream()
            group.addTask { try await receiver.run { url in webhook.continuation.yield(url) } }
            group.addTask {
                for await delivery in receiver.deliveries { observations.record(.webhook, type: delivery.eventType, body: delivery.body) }
            }
            guard let webhookURL = await webhook.stream.first(where: { _ in true }) else { throw DemoFailure("the webhook receiver did not start") }
            report("webhook receiver listening at \(webhookURL.absoluteString)")

            let fleet = try await DemoFleet.make(configuration, webhook: webhookURL, report: report)
            receiver.use(secret: fleet.webhookSecret)

            let logFile = directory.appendingPathComponent("server.log").path
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
            let listening = AsyncStream<APIEndpoint>.makeStream()
            let server = try GatehouseServer(
                configuration: configuration, logDestination: .lines { line in log.write(Data((line + "\n").utf8)) },
                onListening: { endpoint in listening.continuation.yield(endpoint) })
            group.addTask { try await server.run() }
            guard let endpoint = await listening.stream.first(where: { _ in true }) else { throw DemoFailure("the server did not start") }
            report("server listening: API \(endpoint.url), gateways (CUPS/LNS) \(endpoint.cupsURL); its log is \(logFile)")

            try await exercise(endpoint: endpoint, fleet: fleet, observations: observations, group: &group)
            group.cancelAll()
        }
        report("demo complete")
    }

    private func exercise(
        endpoint: APIEndpoint, fleet: DemoFleet, observations: DemoObservations, group: inout ThrowingTaskGroup<Void, any Error>
    ) async throws {
        let api = try DemoAPIClient(port: endpoint.port, apiKey: fleet.apiKey, certificatePath: endpoint.certificatePath)
        let streamOpen = AsyncStream<Result<Void, DemoFailure>>.makeStream()
        group.addTask {
            do {
                try await api.followEvents({ type, json in observations.record(.stream, type: type, body: Array(json.utf8)) },
                                           connected: { streamOpen.continuation.yield(.success(())) })
            } catch {
                streamOpen.continuation.yield(.failure(DemoFailure("the event stream failed: \(error)")))
            }
        }
        guard let opened = await streamOpen.stream.first(where: { _ in true }) else { throw DemoFailure("the event stream did not open") }
        try opened.get()
        report("following the live event stream (GET /api/v1/events)")

        let credentials = try StationTLSCredentials(
            trustRootsPEM: fleet.trustAnchorPEM, certificateChainPEM: fleet.gatewayCertificatePEM, privateKeyPEM: fleet.gatewayKeyPEM)
        let factory = try StationConnectionFactory(credentials: credentials)
        let station = try await SimulatedStation.connect(
            to: LNSAddress(host: "127.0.0.1", port: endpoint.gatewayPort), gatewayEUI: DemoFleet.gatewayEUI, connections: factory)
        defer { Task { await station.close() } }
        report("simulated Basics Station \(DemoFleet.gatewayEUI) connected over mutual TLS (router-info, then traffic)")

        let devEUI = DemoFleet.devEUI
        try await station.add(VirtualDevice(
            devEUI: devEUI, joinEUI: DemoFleet.joinEUI, macVersion: .v1_1, appKey: fleet.appKey, nwkKey: fleet.nwkKey, region: .eu868))
        let joined = try await station.join(devEUI, timeout: .seconds(20))
        report("device joined: \(joined)")
        _ = try await observations.wait(for: .webhook, type: "join")
        report("join event delivered to the webhook")

        let downlinks = await station.downlinks(for: devEUI)
        for index in 1 ... 3 {
            let text = "hello \(index)"
            let expected = Data(text.utf8).base64EncodedString()
            try await station.sendUplink(devEUI, fPort: 10, payload: Array(text.utf8))
            _ = try await observations.wait(for: .webhook, type: "uplink") { ($0["payload"] as? String) == expected }
            _ = try await observations.wait(for: .stream, type: "uplink") { ($0["payload"] as? String) == expected }
            report("uplink \(index) \"\(text)\" arrived decrypted at the webhook (signature verified) and on the stream")
        }

        let command: [UInt8] = Array("lights on".utf8)
        _ = try await api.pushDownlink(devEUI: devEUI.description, fPort: 20, payload: command, confirmed: true)
        report("pushed a confirmed downlink on FPort 20 (POST /api/v1/devices/\(devEUI)/downlinks)")
        try await station.sendUplink(devEUI, fPort: 10, payload: Array("ready".utf8))
        var iterator = downlinks.makeAsyncIterator()
        var received: ReceivedDownlink?
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while ContinuousClock.now < deadline, let next = await iterator.next() {
            if next.fPort == 20 { received = next; break }
        }
        guard let received, received.payload == command else { throw DemoFailure("the device did not receive the downlink") }
        report("the device received it in its receive window and decrypted \"\(String(decoding: received.payload, as: UTF8.self))\"")
        _ = try await observations.wait(for: .webhook, type: "downlink_sent")
        try await station.sendUplink(devEUI, fPort: 10, payload: Array("done".utf8))
        _ = try await observations.wait(for: .webhook, type: "downlink_acked")
        report("the device acknowledged it in its next uplink: downlink_acked delivered")
    }
}
