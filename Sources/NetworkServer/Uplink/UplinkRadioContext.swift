import BackendInterfaces
import Foundation
import LoRaWAN

/// What the MAC layer needs to know about how an uplink was received: its data rate and channel, how
/// many gateways heard it and how well, and when (for DeviceTimeAns).
public struct UplinkRadioContext: Sendable, Hashable {
    public var dataRate: DataRateIndex
    public var frequency: Frequency
    /// Distinct gateways that heard the frame (LinkCheckAns GwCnt).
    public var gatewayCount: Int
    /// The best SNR among them in dB (LinkCheckAns margin, ADR).
    public var bestSNR: Double
    /// The end of the uplink in time since the GPS epoch, `nil` when unknown.
    public var gpsTime: Duration?

    public init(dataRate: DataRateIndex, frequency: Frequency, gatewayCount: Int, bestSNR: Double, gpsTime: Duration?) {
        self.dataRate = dataRate
        self.frequency = frequency
        self.gatewayCount = gatewayCount
        self.bestSNR = bestSNR
        self.gpsTime = gpsTime
    }

    /// The context of a deduplicated frame. The time is the first gateway GPS timestamp among the
    /// receptions (a GPS-synchronised gateway knows it best), else `serverTime` converted to GPS time.
    public init<Instant>(_ uplink: DeduplicatedUplink<Instant>, serverTime: Date?, leapSeconds: Int64 = GPSTime.currentLeapSeconds) {
        let best = uplink.best.metadata
        let gatewayTime = uplink.receptions.lazy.compactMap { GPSTime.sinceEpoch(gatewayMicroseconds: $0.metadata.gpsTime) }.first
        self.init(
            dataRate: best.dataRate, frequency: best.frequency, gatewayCount: uplink.gatewayCount, bestSNR: best.snr,
            gpsTime: gatewayTime ?? serverTime.map { GPSTime.sinceEpoch(utc: $0, leapSeconds: leapSeconds) })
    }
}
