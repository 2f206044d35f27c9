import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Logging

/// Values the tests share. Keys are test keys, never used anywhere else.
enum Fixtures {
    /// 2024-05-01T12:00:00Z.
    static let t0 = Date(timeIntervalSince1970: 1_714_564_800)
    static let devEUI = EUI64(0x0004_A30B_001C_0530)
    static let joinEUI = EUI64(0x70B3_D57E_D000_0001)
    static let devAddr = DevAddr(0x2601_1BDA)
    static let gatewayEUI = EUI64(0xB827_EBFF_FE61_A0B2)
    static let sessionKeyID: [UInt8] = [0x53, 0x4B, 0x00, 0x01]
    static let appSKeyBytes: [UInt8] = [0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6, 0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C]
    static let appSKey = AppSKey(bytes: appSKeyBytes)!
    static let kekBytes: [UInt8] = Array(0xA0...0xAF)
    static let kek = LabeledKEK(label: "as:as.example.net", bytes: kekBytes)!
    static let asID = ApplicationServerID("as.example.net")!
    static let applicationID = ApplicationID("weather-stations")!
    static let secret = WebhookSecret("whsec_test_secret_0123456789")!
    static let webhookID = UUID(uuidString: "6F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9")!
    static let webhook = try! Webhook(id: webhookID, url: URL(string: "https://hooks.example.com/gatehouse?token=t0ps3cret")!)

    static var application: Application {
        Application(id: applicationID, name: "Weather stations", webhooks: [webhook], webhookSecret: secret, createdAt: t0)
    }

    static var session: ApplicationSession {
        ApplicationSession(devEUI: devEUI, devAddr: devAddr, sessionKeyID: sessionKeyID, appSKey: appSKey, createdAt: t0)
    }

    static func join(sessionKeyID: [UInt8] = sessionKeyID, devAddr: DevAddr = devAddr) -> ApplicationJoin {
        ApplicationJoin(devEUI: devEUI, joinEUI: joinEUI, devAddr: devAddr, sessionKeyID: sessionKeyID, macVersion: .v1_0_3, joinedAt: t0)
    }

    /// An uplink carrying `payload` encrypted as the device would.
    static func uplink(
        payload: [UInt8] = [0x01, 0x02, 0x03], fCnt: UInt32 = 42, fPort: UInt8 = 10, key: AppSKey = appSKey, sessionKeyID: [UInt8] = sessionKeyID,
        devEUI: EUI64 = devEUI
    ) -> ApplicationUplink {
        let encrypted = PayloadCipher.cryptFRMPayload(payload, key: key, direction: .uplink, devAddr: devAddr, fCnt: fCnt)
        return ApplicationUplink(
            devEUI: devEUI, devAddr: devAddr, sessionKeyID: sessionKeyID, fPort: fPort, fCnt: fCnt, encryptedFRMPayload: encrypted, confirmed: false,
            dataRate: .dr5, frequency: Frequency(hertz: 868_100_000),
            receptions: [GatewayReception(gatewayEUI: gatewayEUI, rssi: -57, snr: 9.5, time: t0.addingTimeInterval(0.25))],
            receivedAt: t0.addingTimeInterval(0.262))
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "application-server-tests")
        logger.logLevel = .critical
        return logger
    }
}

/// A whole Application Server over in-memory doubles.
struct Harness {
    let clock = ManualClock()
    let sessions = InMemorySessionStore()
    let registry: InMemoryApplicationRegistry
    let joinService: FakeJoinService
    let outbox = InMemoryWebhookOutbox()
    let transport: ScriptedTransport
    let stream = EventStream(bufferSize: 64)
    let logs = LogRecorder()
    let dispatcher: WebhookDispatcher
    let server: ApplicationServer

    init(
        joinService: FakeJoinService = FakeJoinService(.wrapped(Fixtures.appSKey, under: Fixtures.kek)),
        registry: InMemoryApplicationRegistry = InMemoryApplicationRegistry([Fixtures.application], devices: [Fixtures.devEUI: Fixtures.applicationID]),
        transport: ScriptedTransport = ScriptedTransport([.status(204)])
    ) {
        self.joinService = joinService
        self.registry = registry
        self.transport = transport
        dispatcher = WebhookDispatcher(
            outbox: outbox, transport: transport, applications: registry, logger: logs.logger, clock: clock.function, jitter: { 0 })
        server = ApplicationServer(
            applicationServerID: Fixtures.asID, joinService: joinService, keks: KEKRing([Fixtures.kek]), sessions: sessions,
            applications: registry, webhooks: dispatcher, events: stream, logger: logs.logger, clock: clock.function)
    }

    func downlinks(networkServer: FakeNetworkDownlinkQueue) -> DeviceDownlinkQueue {
        DeviceDownlinkQueue(
            sessions: sessions, networkServer: networkServer, applications: registry, webhooks: dispatcher, events: stream, logger: logs.logger,
            clock: clock.function)
    }
}

extension EventSubscription {
    /// The next item, which the tests expect to be buffered already.
    func next() async -> EventStreamItem? {
        var iterator = makeAsyncIterator()
        return await iterator.next()
    }

    func nextEvent() async -> ApplicationEvent? {
        guard case .event(let encoded) = await next() else { return nil }
        return encoded.event
    }
}

extension EventStreamItem {
    /// `event` as the stream hands it out: with its JSON, encoded once.
    static func encoded(_ event: ApplicationEvent) -> EventStreamItem { .event(EncodedApplicationEvent(event)) }
}
