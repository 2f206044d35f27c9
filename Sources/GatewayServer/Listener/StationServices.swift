import LoRaWAN

/// Answers a CUPS `POST /update-info` for an authenticated gateway; the listener has already checked
/// that the request's router EUI is the certificate's.
public protocol CUPSUpdateService: Sendable {
    /// - Parameter listenerPort: the local port the station reached us on, for URIs when no public
    ///   port is configured.
    func answer(_ request: CUPSUpdateRequest, from gateway: GatewayIdentity, listenerPort: Int) async throws -> CUPSAnswer
}

/// A CUPS answer and what must happen only once the station has it.
public struct CUPSAnswer: Sendable {
    public var response: CUPSUpdateResponse
    /// Runs after the response is sent: a confirmation that revokes the certificate this very
    /// connection authenticated with must not cut the connection before the station hears back.
    public var afterResponse: (@Sendable () async throws -> Void)?

    public init(response: CUPSUpdateResponse, afterResponse: (@Sendable () async throws -> Void)? = nil) {
        self.response = response
        self.afterResponse = afterResponse
    }
}

/// The frequency plan of a registered gateway, for its `router_config`.
public protocol GatewayFrequencyPlans: Sendable {
    /// `nil` when the gateway is not (or no longer) registered.
    func frequencyPlan(of gateway: EUI64) async throws -> Region?
}
