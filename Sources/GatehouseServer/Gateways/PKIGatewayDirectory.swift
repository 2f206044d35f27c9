import GatewayPKI
import GatewayServer
import LoRaWAN

/// The gateway listener's view of the registry: whether an EUI is a registered gateway (asked in
/// every handshake) and its frequency plan (for `router_config`).
struct PKIGatewayDirectory: GatewayDirectory, GatewayFrequencyPlans {
    let pki: GatewayPKIService

    func isRegisteredGateway(_ eui: EUI64) async throws -> Bool {
        try await frequencyPlan(of: eui) != nil
    }

    func frequencyPlan(of gateway: EUI64) async throws -> Region? {
        do { return try await pki.gateway(gateway).frequencyPlan } catch PKIError.gatewayNotFound { return nil }
    }
}
