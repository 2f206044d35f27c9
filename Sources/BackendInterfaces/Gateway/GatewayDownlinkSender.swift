import LoRaWAN

/// How the Network Server asks for a downlink to be transmitted. The Gateway Server implements it; the
/// Network Server picks the gateway (usually the best one that heard the uplink) and never touches a
/// socket.
public protocol GatewayDownlinkSender: Sendable {
    /// Queues `downlink` on the connection of `gateway`.
    ///
    /// - Throws: when the gateway is not connected, or the downlink cannot be expressed for it. The
    ///   gateway's confirmation arrives later as ``GatewayTrafficHandler/downlinkTransmitted(_:)``.
    func send(_ downlink: GatewayDownlink, through gateway: EUI64) async throws
}
