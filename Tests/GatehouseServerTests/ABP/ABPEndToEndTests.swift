import ApplicationServer
import Foundation
import GatehouseServer
import GatewayPKI
import LoRaWAN
import Logging
import StationSimulator
import Testing

/// ABP devices end to end: provisioned with their session keys and the explicit acknowledgement, a real
/// `gatehouse serve` takes their uplinks from a simulated Basics Station without any join, the webhook
/// receives the decrypted payload marked `"activation":"ABP","insecure":true`, and a 1.1 device's
/// ResetInd is answered with ResetConf over the air.
@Suite("ABP devices: end to end")
struct ABPEndToEndTests {
    private typealias T = ABPTestData
    static let gatewayEUI = EUI64(0x0016_C001_FF10_0A0B)
    static let legacyEUI = EUI64(0x70B3_D57E_D000_0A10)
    static let currentEUI = EUI64(0x70B3_D57E_D000_0A11)
    static let legacyAddr = DevAddr(netID: NetID(0)!, nwkAddr: 0x0000_0A10)
    static let currentAddr = DevAddr(netID: NetID(0)!, nwkAddr: 0x0000_0A11)

    static let legacyKeys = NetworkSessionKeys.legacy(nwkSKey: T.key(T.nwkSKey))
    static let currentKeys = NetworkSessionKeys.current(
        fNwkSIntKey: T.key(T.fNwkSIntKey), sNwkSIntKey: T.key(T.sNwkSIntKey), nwkSEncKey: T.key(T.nwkSEncKey), fOptsVariant: .errata)

    @Test("uplinks of 1.0.3 and 1.1 ABP devices reach the webhook decrypted and marked insecure; ResetInd gets ResetConf")
    func uplinksAreDeliveredAndMarked() async throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let (credentials, events) = try await Self.provision(data: data)

        let serve = try await ServeProcess.start(dataDirectory: data, scratch: directory.file("serve"))
        defer { serve.kill() }
        let station = try await SimulatedStation.connect(
            to: LNSAddress(host: "127.0.0.1", port: serve.gatewayPort), gatewayEUI: Self.gatewayEUI,
            connections: try StationConnectionFactory(credentials: credentials))
        defer { Task { await station.close() } }
        try await station.add(VirtualDevice(
            abpDevEUI: Self.legacyEUI, devAddr: Self.legacyAddr, macVersion: .v1_0_3, networkKeys: Self.legacyKeys, appSKey: T.key(T.appSKey)))
        try await station.add(VirtualDevice(
            abpDevEUI: Self.currentEUI, devAddr: Self.currentAddr, macVersion: .v1_1, networkKeys: Self.currentKeys, appSKey: T.key(T.appSKey),
            fCntUp: 100))
        let downlinks = await station.downlinks(for: Self.currentEUI)

        try await station.sendUplink(Self.legacyEUI, fPort: 7, payload: [0xAB, 0x01])
        try await station.sendUplink(Self.currentEUI, fPort: 8, payload: [0xAB, 0x11])
        try await station.flush()
        try await Self.eventually { await events.bodies.count >= 2 }

        for (devEUI, fCnt, payload) in [(Self.legacyEUI, 0, "qwE="), (Self.currentEUI, 100, "qxE=")] {
            let body = try #require(await events.bodies.first { $0.contains("\"dev_eui\":\"\(devEUI)\"") })
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(object["payload"] as? String == payload)
            #expect((object["f_cnt"] as? NSNumber)?.intValue == fCnt)
            #expect(object["application_id"] as? String == "abp-e2e")
            // Members are only ever appended: the marker closes the uplink event.
            #expect(body.hasSuffix(",\"activation\":\"ABP\",\"insecure\":true}"), "\(body)")
            #expect(T.leaks(in: body).isEmpty)
        }

        // LoRaWAN 1.1 §5.1: the network confirms the 1.1 device's reset in its receive window.
        let reset = try await Self.first(in: downlinks) { $0.macCommands.contains(.resetConf(minor: .lorawan1_1)) }
        #expect(reset != nil, "no ResetConf reached the 1.1 ABP device")
        try await station.sendUplink(Self.currentEUI, fPort: 8, payload: [0x02])
        try await station.flush()
        try await Self.eventually { await events.bodies.count >= 3 }
    }

    /// The CA, a gateway with its certificate, an application whose webhook records uplink events, and
    /// two ABP devices created as an operator would, with the explicit acknowledgement.
    static func provision(data: String) async throws -> (StationTLSCredentials, UplinkEventLog) {
        let configuration = try testConfiguration(dataDirectory: data)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let services = try await GatehouseServices.open(configuration, logger: logger)
        do {
            _ = try await services.pki.initializeAuthority(actor: "test")
            _ = try await services.pki.registerGateway(
                eui: gatewayEUI, name: "abp test", network: "test", location: nil, frequencyPlan: .eu868, actor: "test")
            let issued = try await services.pki.issueCertificate(for: gatewayEUI, actor: "test")
            let events = UplinkEventLog()
            let hook = try await events.start()
            let application = ApplicationID("abp-e2e")!
            try await services.applications.registry.save(Application(
                id: application, name: "abp", webhooks: [try Webhook(id: UUID(), url: hook.url)], webhookSecret: hook.secret, createdAt: Date()))
            for (devEUI, devAddr, version, keys) in [
                (legacyEUI, legacyAddr, MACVersion.v1_0_3, legacyKeys), (currentEUI, currentAddr, MACVersion.v1_1, currentKeys),
            ] {
                let summary = try await services.createABPDevice(
                    .init(devEUI: devEUI, devAddr: devAddr, macVersion: version, region: .eu868, networkKeys: keys, appSKey: T.key(T.appSKey),
                          application: application),
                    acknowledgeInsecure: true, actor: "test", logger: logger)
                #expect(summary.isInsecure && summary.warnings.count == 1)
            }
            await services.close()
            let credentials = try StationTLSCredentials(
                trustRootsPEM: issued.certificate.trustAnchorPEM, certificateChainPEM: issued.certificate.certificatePEM,
                privateKeyPEM: issued.privateKey.exportPEM())
            return (credentials, events)
        } catch {
            await services.close()
            throw error
        }
    }

    static func eventually(_ condition: @Sendable () async -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while await !condition() {
            guard ContinuousClock.now < deadline else { throw ScaffoldingFailure(description: "condition not met within 60 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The first downlink that satisfies `matches` within 30 s, or `nil`.
    static func first(
        in downlinks: AsyncStream<ReceivedDownlink>, where matches: @escaping @Sendable (ReceivedDownlink) -> Bool
    ) async throws -> ReceivedDownlink? {
        try await withThrowingTaskGroup(of: ReceivedDownlink?.self) { group in
            group.addTask {
                for await downlink in downlinks where matches(downlink) { return downlink }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }
}

/// A webhook receiver keeping the body of every uplink event, in arrival order.
actor UplinkEventLog {
    private(set) var bodies: [String] = []
    private var receiver: LocalWebhookReceiver?

    func start() async throws -> (url: URL, secret: WebhookSecret) {
        let secret = WebhookSecret.generate()
        let receiver = LocalWebhookReceiver(secret: secret)
        self.receiver = receiver
        let (urls, continuation) = AsyncStream<URL>.makeStream()
        Task.detached { try await receiver.run { continuation.yield($0) } }
        Task.detached { [weak self] in
            for await delivery in receiver.deliveries where delivery.eventType == "uplink" {
                await self?.record(String(decoding: delivery.body, as: UTF8.self))
            }
        }
        guard let url = await urls.first(where: { _ in true }) else { throw ScaffoldingFailure(description: "no webhook receiver") }
        return (url, secret)
    }

    private func record(_ body: String) { bodies.append(body) }
}
