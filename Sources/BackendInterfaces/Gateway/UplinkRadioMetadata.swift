import Foundation
import LoRaWAN

/// How and when a gateway heard an uplink: what the Network Server needs to deduplicate, to answer in
/// RX1/RX2 and to rank gateways, without knowing which gateway protocol carried the frame.
///
/// The station's timing fields are kept verbatim: `xtime` and `rctx` must be echoed unchanged in a
/// class A downlink (basics-station-protocol §3.4), so they are exact 64-bit integers, never doubles.
public struct UplinkRadioMetadata: Sendable, Equatable {
    /// The LoRaWAN data rate index the frame arrived at (region-specific meaning).
    public var dataRate: DataRateIndex
    /// The channel frequency the frame arrived on.
    public var frequency: Frequency
    /// Received signal strength in dBm.
    public var rssi: Double
    /// Signal-to-noise ratio in dB.
    public var snr: Double
    /// The station's receive context (radio/antenna), echoed in a class A downlink.
    public var rctx: Int64
    /// The concentrator time of reception (radio unit, session id and µs counter), echoed in a class A
    /// downlink so the station can time RX1/RX2 on its own clock.
    public var xtime: Int64
    /// Reception time in µs since the GPS epoch (1980-01-06), or 0 while the gateway has no GPS time.
    public var gpsTime: Int64
    /// The fine timestamp in ns within the GPS second, when the concentrator has one (for geolocation).
    public var fineTimestamp: Int32?
    /// The station's own UTC clock at reception (`rxtime`); `nil` when the station did not say.
    public var stationReceiveTime: Date?
    /// The station's estimate of the server's clock at reception (`RefTime`: last `MuxTime` plus the
    /// elapsed time); `nil` when the server never sent a `MuxTime`. Useful to measure round trips.
    public var referenceTime: Date?

    public init(
        dataRate: DataRateIndex, frequency: Frequency, rssi: Double, snr: Double, rctx: Int64, xtime: Int64,
        gpsTime: Int64 = 0, fineTimestamp: Int32? = nil, stationReceiveTime: Date? = nil, referenceTime: Date? = nil
    ) {
        self.dataRate = dataRate
        self.frequency = frequency
        self.rssi = rssi
        self.snr = snr
        self.rctx = rctx
        self.xtime = xtime
        self.gpsTime = gpsTime
        self.fineTimestamp = fineTimestamp
        self.stationReceiveTime = stationReceiveTime
        self.referenceTime = referenceTime
    }
}
