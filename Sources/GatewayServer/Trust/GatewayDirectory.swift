import LoRaWAN

/// Which gateways are registered: the last question of a handshake. The server backs it with the
/// Gateway PKI's gateway records.
///
/// An error is not a "no": ``RegisteredGatewayPolicy`` refuses with
/// ``GatewayHandshakeRefusal/directoryUnavailable(_:error:)``, and never admits on an error.
public protocol GatewayDirectory: Sendable {
    func isRegisteredGateway(_ eui: EUI64) async throws -> Bool
}
