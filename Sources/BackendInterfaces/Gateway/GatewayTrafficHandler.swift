/// Where the Gateway Server delivers what gateways report. The Network Server implements it; the
/// Gateway Server knows nothing else about the Network Server, so neither module imports the other.
public protocol GatewayTrafficHandler: Sendable {
    /// A gateway heard a frame. Called once per gateway per frame; deduplication is the receiver's job.
    func uplinkReceived(_ uplink: GatewayUplink) async

    /// A gateway transmitted a downlink the Network Server had asked for.
    func downlinkTransmitted(_ event: GatewayDownlinkTransmitted) async
}
