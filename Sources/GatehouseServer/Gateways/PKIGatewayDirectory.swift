import GatewayPKI
import GatewayServer
import LoRaWAN

/// The gateway listener's view of the registry: whether an EUI is a registered gateway (asked in
/// every handshake) and its frequency plan (for `router_config`).
///
/// Registration is answered from ``KnownRegisteredGateways`` when the EUI is held there, in memory
/// and without waiting, so a handshake can be decided on the event loop; otherwise from storage,
/// remembering a gateway found. The PKI's deletion observer (deletions made here at once, elsewhere
/// within its follow period) makes it forget. Why a held EUI is safe to admit on: see
/// ``KnownRegisteredGateways``.
///
/// The frequency plan is always read from storage: it is asked once per traffic connection, not per
/// handshake, and doubles as the session's "still registered" check, so it stays authoritative.
final class PKIGatewayDirectory: GatewayDirectory, GatewayFrequencyPlans {
    let pki: GatewayPKIService
    let known = KnownRegisteredGateways()

    init(pki: GatewayPKIService) {
        self.pki = pki
        pki.observeGatewayDeletions { [weak known] eui in known?.forget(eui) }
    }

    func knownRegistration(of eui: EUI64) -> Bool? {
        known.contains(eui) ? true : nil
    }

    func isRegisteredGateway(_ eui: EUI64) async throws -> Bool {
        if known.contains(eui) { return true }
        return try await frequencyPlan(of: eui) != nil
    }

    func frequencyPlan(of gateway: EUI64) async throws -> Region? {
        let deletions = known.deletionCount
        do {
            let record = try await pki.gateway(gateway)
            known.remember(gateway, ifNoDeletionSince: deletions)
            return record.frequencyPlan
        } catch PKIError.gatewayNotFound {
            known.forget(gateway)
            return nil
        }
    }
}
