import LoRaWAN

/// A gateway's report that a downlink went on air (Basics Station `dntxed`). It closes the loop for the
/// Network Server: the frame counter was really spent, and a confirmed downlink's timer may start.
public struct GatewayDownlinkTransmitted: Sendable, Equatable {
    /// The id the Network Server gave the downlink in ``GatewayDownlink/diid``.
    public var diid: Int64
    /// The gateway that transmitted.
    public var gatewayEUI: EUI64
    /// The device the downlink was for. Stations report only unicast downlinks (DevEui ≠ 0).
    public var devEUI: EUI64
    /// The concentrator time of transmission.
    public var xtime: Int64
    /// The station's monotonic clock at transmission, in seconds (only comparable with its own values).
    public var txtime: Double
    /// Transmission time in µs since the GPS epoch, or 0 when the gateway has no GPS time.
    public var gpsTime: Int64
    public var dataRate: DataRateIndex
    public var frequency: Frequency

    public init(
        diid: Int64, gatewayEUI: EUI64, devEUI: EUI64, xtime: Int64, txtime: Double, gpsTime: Int64,
        dataRate: DataRateIndex, frequency: Frequency
    ) {
        self.diid = diid
        self.gatewayEUI = gatewayEUI
        self.devEUI = devEUI
        self.xtime = xtime
        self.txtime = txtime
        self.gpsTime = gpsTime
        self.dataRate = dataRate
        self.frequency = frequency
    }
}
