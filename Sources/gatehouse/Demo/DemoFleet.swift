import ApplicationServer
import BackendInterfaces
import Crypto
import Foundation
import GatehouseServer
import GatewayPKI
import JoinServer
import LoRaWAN
import Logging
import Storage

/// What the demo provisions before the server starts, on its data directory, as an operator would with
/// the CLI: the CA, one EU868 gateway and its certificate (server-generated key), an application with a
/// webhook, one LoRaWAN 1.1 device with fresh root keys in that application, and an API key.
struct DemoFleet: Sendable {
    static let gatewayEUI = EUI64(0x0016_C001_FF10_D3F6)
    static let devEUI = EUI64(0x70B3_D57E_D000_1234)
    static let joinEUI = EUI64(0x70B3_D57E_D000_0000)
    static let applicationID = ApplicationID("demo")!

    let trustAnchorPEM: String
    let gatewayCertificatePEM: String
    let gatewayKeyPEM: String
    let appKey: AppKey
    let nwkKey: NwkKey
    let webhookSecret: WebhookSecret
    let apiKey: String

    static func make(_ configuration: GatehouseConfiguration, webhook: URL, report: (String) -> Void) async throws -> DemoFleet {
        let quiet = Logger(label: "demo") { _ in SwiftLogNoOpLogHandler() }
        let services = try await GatehouseServices.open(configuration, logger: quiet)
        do {
            _ = try await services.pki.initializeAuthority(commonName: "Gatehouse demo", actor: "demo")
            report("created the certificate authority")
            _ = try await services.pki.registerGateway(
                eui: gatewayEUI, name: "demo gateway", network: "demo", location: nil, frequencyPlan: .eu868, actor: "demo")
            let credentials = try await services.pki.issueCertificate(for: gatewayEUI, actor: "demo")
            report("registered gateway \(gatewayEUI) (EU868) and issued its certificate \(credentials.certificate.record.serial); its key exists only in memory")

            let secret = WebhookSecret.generate()
            let application = Application(
                id: applicationID, name: "Demo", webhooks: [try Webhook(id: UUID(), url: webhook)], webhookSecret: secret, createdAt: Date())
            try await services.applications.registry.save(application)
            report("created application \(applicationID) with a webhook to \(webhook.absoluteString)")

            let appKey = AppKey(bytes: Self.randomKeyBytes())!
            let nwkKey = NwkKey(bytes: Self.randomKeyBytes())!
            _ = try await services.createDevice(
                NewJoinDevice(devEUI: devEUI, joinEUI: joinEUI, macVersion: .v1_1, rootKeys: .separate(nwkKey: nwkKey, appKey: appKey), owner: nil),
                profile: .init(application: applicationID), actor: "demo")
            report("registered LoRaWAN 1.1 device \(devEUI) with fresh root keys (sealed in the Join Server)")

            let apiKey = try await services.store.apiKeys.create(name: "demo", at: Date(), actor: "demo").plaintextKey
            await services.close()
            return DemoFleet(
                trustAnchorPEM: credentials.certificate.trustAnchorPEM, gatewayCertificatePEM: credentials.certificate.certificatePEM,
                gatewayKeyPEM: credentials.privateKey.exportPEM(), appKey: appKey, nwkKey: nwkKey, webhookSecret: secret, apiKey: apiKey)
        } catch {
            await services.close()
            throw error
        }
    }

    private static func randomKeyBytes() -> [UInt8] {
        SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
    }
}
