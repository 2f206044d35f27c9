import LoRaWAN

/// The EUI the leaf names is a registered gateway, per the ``GatewayDirectory``. A lookup that
/// fails refuses the handshake with its own reason (fail closed).
public struct RegisteredGatewayPolicy: GatewayTrustPolicy {
    public let directory: any GatewayDirectory

    public init(directory: any GatewayDirectory) {
        self.directory = directory
    }

    public func evaluate(_ candidate: GatewayHandshakeCandidate) async -> GatewayTrustPolicyResult {
        let eui: EUI64
        switch GatewayIdentity.gatewayEUI(of: candidate.leaf) {
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
