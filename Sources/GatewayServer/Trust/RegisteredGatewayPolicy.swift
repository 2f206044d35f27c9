import LoRaWAN

/// The EUI the leaf names is a registered gateway, per the ``GatewayDirectory``. A lookup that
/// fails refuses the handshake with its own reason (fail closed).
///
/// It answers immediately when the directory knows the EUI in memory
/// (``GatewayDirectory/knownRegistration(of:)``), and waits for the directory otherwise.
public struct RegisteredGatewayPolicy: GatewayTrustPolicy {
    public let directory: any GatewayDirectory

    public init(directory: any GatewayDirectory) {
        self.directory = directory
    }

    public func evaluateImmediately(_ candidate: GatewayHandshakeCandidate) -> GatewayTrustPolicyResult? {
        let eui: EUI64
        switch candidate.gatewayEUI {
        case .success(let named): eui = named
        case .failure(let refusal): return .refused(refusal)
        }
        return directory.knownRegistration(of: eui).map { $0 ? .meetsPolicy : .refused(.unregisteredGateway(eui)) }
    }

    public func evaluate(_ candidate: GatewayHandshakeCandidate) async -> GatewayTrustPolicyResult {
        let eui: EUI64
        switch candidate.gatewayEUI {
        case .success(let named): eui = named
        case .failure(let refusal): return .refused(refusal)
        }
        do {
            return try await directory.isRegisteredGateway(eui) ? .meetsPolicy : .refused(.unregisteredGateway(eui))
        } catch {
            return .refused(.directoryUnavailable(eui, error: String(describing: error)))
        }
    }
}
