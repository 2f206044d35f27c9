import BackendInterfaces
import LoRaWAN

/// One gateway's copy of a frame: who heard it and how.
public struct UplinkReception: Sendable, Equatable {
    public var gatewayEUI: EUI64
    public var metadata: UplinkRadioMetadata

    public init(gatewayEUI: EUI64, metadata: UplinkRadioMetadata) {
        self.gatewayEUI = gatewayEUI
        self.metadata = metadata
    }

    /// The ranking of gateways: higher SNR first, then higher RSSI. SNR decides first because it says
    /// how far above the demodulation floor the frame was, which is what a downlink through that
    /// gateway will roughly enjoy too; RSSI only breaks ties (and ranks saturated, very close gateways).
    public static func isBetter(_ a: UplinkReception, than b: UplinkReception) -> Bool {
        if a.metadata.snr != b.metadata.snr { return a.metadata.snr > b.metadata.snr }
        return a.metadata.rssi > b.metadata.rssi
    }
}

/// A frame after deduplication: its bytes once, and every gateway that heard it within the window,
/// best first.
public struct DeduplicatedUplink<Instant: InstantProtocol>: Sendable, Equatable {
    /// MHDR through MIC, the key the copies were grouped by.
    public var phyPayload: [UInt8]
    /// Best first (``UplinkReception/isBetter(_:than:)``), one per gateway. Never empty.
    public var receptions: [UplinkReception]
    /// When the first copy arrived.
    public var firstReceivedAt: Instant
    /// Whether the window was closed before its time to bound memory (the frame is still complete as
    /// far as it went, but later copies will be counted as late).
    public var closedEarly: Bool

    /// The best gateway's reception.
    public var best: UplinkReception { receptions[0] }

    /// How many gateways heard the frame (LinkCheckAns GwCnt).
    public var gatewayCount: Int { receptions.count }
}
