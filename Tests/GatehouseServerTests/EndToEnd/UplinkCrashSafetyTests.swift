import ApplicationServer
import Foundation
import GatehouseServer
import GatewayPKI
import JoinServer
import LoRaWAN
import Logging
import StationSimulator
import Testing

/// DESIGN.md invariant 7: an uplink frame counter never goes backwards, and survives a crash. A real
/// `gatehouse serve` takes uplinks from a simulated Basics Station and is killed with SIGKILL right
/// after the webhook received some of them; after a restart every frame that had reached the
/// application is refused as a replay, and the device's next frame is accepted.
@Suite("Network Server crash safety")
struct UplinkCrashSafetyTests {
    static let gatewayEUI = EUI64(0x0016_C001_FF10_0001)
    static let devEUI = EUI64(0x70B3_D57E_D000_0042)
    static let joinEUI = EUI64(0x70B3_D57E_D000_0000)

    @Test("frames delivered before a SIGKILL are refused after the restart; counting goes on")
    func countersSurviveKill() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let appKey = AppKey(bytes: [UInt8](repeating: 0x2B, count: 16))!
        let nwkKey = NwkKey(bytes: [UInt8](repeating: 0x3C, count: 16))!
        let station = try await Self.provision(data: data, appKey: appKey, nwkKey: nwkKey)

        var device = try VirtualDevice(devEUI: Self.devEUI, joinEUI: Self.joinEUI, macVersion: .v1_1, appKey: appKey, nwkKey: nwkKey)
        let first = try await ServeProcess.start(dataDirectory: data, scratch: directory.file("first"))
        var sent: [VirtualDeviceTransmission] = []
        do {
            let connection = try await station.connect(port: first.gatewayPort)
            try await connection.add(device)
            _ = try await connection.join(Self.devEUI, timeout: .seconds(60))
            for index in 0 ..< 12 {
                sent.append(try await connection.sendUplink(Self.devEUI, fPort: 5, payload: [UInt8(index)]))
            }
            try await connection.flush()
            // Once the Network Server has handed an uplink on, its counter is stored: kill it then.
            try await Self.eventually { await Self.delivered(station.events) >= 6 }
            first.kill()
            device = try #require(await connection.device(Self.devEUI))
            await connection.close()
        } catch {
            first.kill()
            throw error
        }
        let deliveredBefore = await station.events.uplinkCounters()

        let second = try await ServeProcess.start(dataDirectory: data, scratch: directory.file("second"))
        defer { second.kill() }
        let connection = try await station.connect(port: second.gatewayPort)
        defer { Task { await connection.close() } }
        try await connection.add(device)
        for transmission in sent { try await connection.replay(transmission, of: Self.devEUI) }
        let next = try #require(try await connection.sendUplink(Self.devEUI, fPort: 5, payload: [0xFF]).fCnt)
        try await connection.flush()
        try await Self.eventually { await station.events.uplinkCounters().contains(next) }
        let deliveredAfter = await station.events.uplinkCounters()
        // Each counter reached the application once: nothing delivered before the kill came again.
        #expect(deliveredAfter.count == Set(deliveredAfter).count, "a counter was delivered twice: \(deliveredAfter)")
        #expect(Set(deliveredBefore).isSubset(of: Set(deliveredAfter)))
    }

    static func delivered(_ events: UplinkCounterLog) async -> Int { await events.uplinkCounters().count }

    static func eventually(_ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(90))
        while await !condition() {
            guard ContinuousClock.now < deadline else { throw ScaffoldingFailure(description: "condition not met within 90 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The CA, a gateway with its certificate, an application whose webhook is this test's receiver
    /// (recording uplink counters), and the device.
    static func provision(data: String, appKey: AppKey, nwkKey: NwkKey) async throws -> TestStation {
        let configuration = try testConfiguration(dataDirectory: data)
        let services = try await GatehouseServices.open(configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        do {
            _ = try await services.pki.initializeAuthority(actor: "test")
            _ = try await services.pki.registerGateway(
                eui: gatewayEUI, name: "crash test", network: "test", location: nil, frequencyPlan: .eu868, actor: "test")
            let credentials = try await services.pki.issueCertificate(for: gatewayEUI, actor: "test")
            let events = UplinkCounterLog()
            let hook = try await events.start()
            let application = ApplicationID("crash")!
            try await services.applications.registry.save(Application(
                id: application, name: "crash", webhooks: [try Webhook(id: UUID(), url: hook.url)], webhookSecret: hook.secret,
                createdAt: Date()))
            _ = try await services.createDevice(
                NewJoinDevice(devEUI: devEUI, joinEUI: joinEUI, macVersion: .v1_1, rootKeys: .separate(nwkKey: nwkKey, appKey: appKey), owner: nil),
                profile: .init(application: application), actor: "test")
            await services.close()
            return TestStation(
                credentials: try StationTLSCredentials(
                    trustRootsPEM: credentials.certificate.trustAnchorPEM, certificateChainPEM: credentials.certificate.certificatePEM,
                    privateKeyPEM: credentials.privateKey.exportPEM()),
                events: events)
        } catch {
            await services.close()
            throw error
        }
    }
}

/// The simulated station's credentials and where its device's uplinks are observed.
struct TestStation: Sendable {
    let credentials: StationTLSCredentials
    let events: UplinkCounterLog

    func connect(port: Int) async throws -> SimulatedStation {
        try await SimulatedStation.connect(
            to: LNSAddress(host: "127.0.0.1", port: port), gatewayEUI: UplinkCrashSafetyTests.gatewayEUI,
            connections: try StationConnectionFactory(credentials: credentials))
    }
}

/// A webhook receiver recording the FCnt of every uplink event, in arrival order.
actor UplinkCounterLog {
    private var counters: [UInt32] = []
    private var receiver: LocalWebhookReceiver?

    func uplinkCounters() -> [UInt32] { counters }

    func start() async throws -> (url: URL, secret: WebhookSecret) {
        let secret = WebhookSecret.generate()
        let receiver = LocalWebhookReceiver(secret: secret)
        self.receiver = receiver
        let (urls, continuation) = AsyncStream<URL>.makeStream()
        Task.detached { try await receiver.run { continuation.yield($0) } }
        Task.detached { [weak self] in
            for await delivery in receiver.deliveries where delivery.eventType == "uplink" {
                guard let object = try? JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any],
                    let fCnt = (object["f_cnt"] as? NSNumber)?.uint32Value
                else { continue }
                await self?.record(fCnt)
            }
        }
        guard let url = await urls.first(where: { _ in true }) else { throw ScaffoldingFailure(description: "no webhook receiver") }
        return (url, secret)
    }

    private func record(_ fCnt: UInt32) { counters.append(fCnt) }
}
