import LoRaWAN

/// Which gateways are registered: the last question of a handshake. The server backs it with the
/// Gateway PKI's gateway records.
///
/// An error is not a "no": ``RegisteredGatewayPolicy`` refuses with
/// ``GatewayHandshakeRefusal/directoryUnavailable(_:error:)``, and never admits on an error.
public protocol GatewayDirectory: Sendable {
    func isRegisteredGateway(_ eui: EUI64) async throws -> Bool

    /// The answer when the directory has it in memory, without waiting; `nil` to ask
    /// ``isRegisteredGateway(_:)``. Answering here lets a handshake be decided on the event loop.
    func knownRegistration(of eui: EUI64) -> Bool?
}

extension GatewayDirectory {
    /// By default a directory knows nothing in memory: every question goes to ``isRegisteredGateway(_:)``.
    public func knownRegistration(of eui: EUI64) -> Bool? { nil }
}
