import LoRaWAN

/// One LoRaWAN frame as one gateway heard it, handed from the Gateway Server to the Network Server.
///
/// The PHYPayload is the exact bytes that went over the air, rebuilt by the gateway server from the
/// station's message; the Network Server decodes and checks it (MIC, FCnt) itself, so nothing the
/// gateway said is trusted beyond "these bytes arrived with this radio metadata".
public struct GatewayUplink: Sendable, Equatable {
    /// The gateway that heard the frame, as its client certificate proved it.
    public var gatewayEUI: EUI64
    /// MHDR through MIC, exactly as transmitted.
    public var phyPayload: [UInt8]
    public var metadata: UplinkRadioMetadata

    public init(gatewayEUI: EUI64, phyPayload: [UInt8], metadata: UplinkRadioMetadata) {
        self.gatewayEUI = gatewayEUI
        self.phyPayload = phyPayload
        self.metadata = metadata
    }
}
