import ApplicationServer
import Crypto
import Foundation
import GatehouseServer
import JoinServer
import LoRaWAN
import Logging
import StationSimulator

/// What `gatehouse bench uplinks` provisions on the data directory before the server starts, as an
/// operator would: the CA and G gateways with certificates (``ConnectionBenchmarkFleet``), an
/// application with one webhook (or none, to measure the stream alone), D devices per gateway with fresh root keys (LoRaWAN 1.1 and 1.0.3
/// alternating) assigned to it, and an API key for the event stream.
///
/// Device `g` sits behind gateway `g / devicesPerGateway`; its DevEUI carries `g` in its low bits, which
/// is how an event's `dev_eui` is matched back to the uplink that caused it.
struct UplinkBenchmarkFleet: Sendable {
    let gateways: [ConnectionBenchmarkGateway]
    let trustAnchorPEM: String
    let apiKey: String
    let webhookSecret: WebhookSecret
    let devicesPerGateway: Int
    /// Not joined yet; index `g` is behind gateway `g / devicesPerGateway`.
    let devices: [VirtualDevice]

    static let applicationID = ApplicationID("bench")!
    static let joinEUI = EUI64(0x70B3_D57E_D000_0000)
    static let devEUIBase: UInt64 = 0x00BF_0000_0000_0000

    static func devEUI(_ index: Int) -> EUI64 { EUI64(devEUIBase | UInt64(index)) }

    /// The device index a `dev_eui` names, if it is one of the benchmark's.
    static func deviceIndex(_ devEUI: UInt64) -> Int? {
        devEUI & 0xFFFF_FFFF_0000_0000 == devEUIBase ? Int(devEUI & 0xFFFF_FFFF) : nil
    }

    static func make(
        gatewayCount: Int, devicesPerGateway: Int, webhook: URL?, dataDirectory: String, report: (String) -> Void
    ) async throws -> UplinkBenchmarkFleet {
        let start = ContinuousClock.now
        let gateways = try await ConnectionBenchmarkFleet.make(count: gatewayCount, dataDirectory: dataDirectory)
        report(String(format: "%d gateways registered and their certificates issued in %.1f s", gatewayCount, PKIBenchmark.seconds(.now - start)))

        let devicesStart = ContinuousClock.now
        let configuration = GatehouseConfiguration(dataDirectory: dataDirectory, bindHost: "127.0.0.1", apiPort: 0, httpPort: 0)
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let services = try await GatehouseServices.open(configuration, logger: quiet)
        do {
            let secret = WebhookSecret.generate()
            try await services.applications.registry.save(Application(
                id: applicationID, name: "Uplink benchmark", webhooks: try webhook.map { [try Webhook(id: UUID(), url: $0)] } ?? [], webhookSecret: secret,
                createdAt: Date()))
            let count = gatewayCount * devicesPerGateway
            let devices = try (0..<count).map { try Self.device($0) }
            try await forEachConcurrently(devices, callers: ConnectionBenchmarkFleet.callers) { device in
                let rootKeys: RootKeys = device.rootKeys.nwkKey.map { .separate(nwkKey: $0, appKey: device.rootKeys.appKey) }
                    ?? .legacy(appKey: device.rootKeys.appKey)
                _ = try await services.createDevice(
                    NewJoinDevice(devEUI: device.devEUI, joinEUI: device.joinEUI, macVersion: device.macVersion, rootKeys: rootKeys, owner: nil),
                    profile: .init(application: applicationID), actor: "bench")
            }
            report(String(format: "%d devices (LoRaWAN 1.1 and 1.0.3) registered in application %@ in %.1f s", count, applicationID.rawValue,
                          PKIBenchmark.seconds(.now - devicesStart)))
            await services.close()
            return UplinkBenchmarkFleet(
                gateways: gateways.gateways, trustAnchorPEM: gateways.trustAnchorPEM, apiKey: gateways.apiKey, webhookSecret: secret,
                devicesPerGateway: devicesPerGateway, devices: devices)
        } catch {
            await services.close()
            throw error
        }
    }

    /// Device `index`: 1.1 for even indices, 1.0.3 for odd ones, with fresh random root keys.
    private static func device(_ index: Int) throws -> VirtualDevice {
        let appKey = AppKey(bytes: randomKeyBytes())!
        if index % 2 == 0 {
            return try VirtualDevice(
                devEUI: devEUI(index), joinEUI: joinEUI, macVersion: .v1_1, appKey: appKey, nwkKey: NwkKey(bytes: randomKeyBytes())!)
        }
        return try VirtualDevice(devEUI: devEUI(index), joinEUI: joinEUI, macVersion: .v1_0_3, appKey: appKey)
    }

    private static func randomKeyBytes() -> [UInt8] {
        SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
    }

    /// `body` over `items` from `callers` tasks, so storage can group their writes.
    private static func forEachConcurrently<T: Sendable>(
        _ items: [T], callers: Int, _ body: @escaping @Sendable (T) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            for _ in 0..<min(callers, items.count) {
                let item = items[next]
                next += 1
                group.addTask { try await body(item) }
            }
            while try await group.next() != nil {
                guard next < items.count else { continue }
                let item = items[next]
                next += 1
                group.addTask { try await body(item) }
            }
        }
    }
}
