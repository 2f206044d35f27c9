import Foundation

/// Time since the GPS epoch, which DeviceTimeAns and class B beacons count in (LoRaWAN 1.1 §5.12).
///
/// GPS time started at 1980-01-06 00:00:00 UTC and has no leap seconds, so it runs ahead of UTC by the
/// leap seconds inserted since (18 s since 2017-01-01). The count is a parameter, not a table, because
/// the only correct source of it is the operator's (or a GPS receiver's) current knowledge.
public enum GPSTime {
    /// The UTC instant of the GPS epoch, 1980-01-06T00:00:00Z, in seconds since 1970.
    public static let epochUnixSeconds: Int64 = 315_964_800
    /// GPS − UTC since 2017-01-01 (IERS Bulletin C; unchanged since).
    public static let currentLeapSeconds: Int64 = 18

    /// The time since the GPS epoch of a UTC instant.
    public static func sinceEpoch(utc date: Date, leapSeconds: Int64 = currentLeapSeconds) -> Duration {
        let unix = date.timeIntervalSince1970
        let whole = unix.rounded(.down)
        let nanos = Int64(((unix - whole) * 1e9).rounded())
        return .seconds(Int64(whole) - epochUnixSeconds + leapSeconds) + .nanoseconds(nanos)
    }

    /// The time since the GPS epoch of a gateway timestamp in microseconds (Basics Station `gpstime`),
    /// `nil` for 0, which means the gateway has no GPS time.
    public static func sinceEpoch(gatewayMicroseconds: Int64) -> Duration? {
        gatewayMicroseconds > 0 ? .microseconds(gatewayMicroseconds) : nil
    }
}
