import Foundation
import StrictJSON

/// A station's request to learn GPS time (`{"msgtype":"timesync","txtime":<µs>}`,
/// basics-station-protocol §3.3). Only stations with a PPS signal send it.
public struct StationTimeSyncRequest: Sendable, Equatable {
    /// The station's monotonic clock in µs when it sent the request; the reply echoes it.
    public var txtime: Int64

    public init(txtime: Int64) { self.txtime = txtime }

    init(decoding object: JSONObject) throws(StationProtocolError) {
        txtime = try object.integer("txtime")
    }

    /// The reply carrying the server's GPS time at the moment of answering.
    public func reply(gpsTime: Int64) -> TimeSyncReply {
        TimeSyncReply(txtime: txtime, gpsTime: gpsTime)
    }
}

/// The LNS answer to a ``StationTimeSyncRequest``:
/// `{"msgtype":"timesync","txtime":<echo>,"gpstime":<µs since 1980-01-06>}`.
///
/// The caller supplies the time; nothing here reads a clock. ``gpsMicroseconds(at:leapSeconds:)``
/// converts a UTC instant.
public struct TimeSyncReply: Sendable, Equatable {
    public var txtime: Int64
    /// Microseconds since the GPS epoch, 1980-01-06T00:00:00Z, without leap seconds.
    public var gpsTime: Int64

    public init(txtime: Int64, gpsTime: Int64) {
        self.txtime = txtime
        self.gpsTime = gpsTime
    }

    /// The text frame to send.
    public func encoded() throws(StationEncodingError) -> String {
        var object = JSONObject()
        object.append("msgtype", .string("timesync"))
        object.append("txtime", .integer(txtime))
        object.append("gpstime", .integer(gpsTime))
        return try StationJSON.frame(.object(object))
    }

    /// The GPS epoch as seconds since 1970-01-01 (1980-01-06T00:00:00Z).
    public static let gpsEpochUnixSeconds: Int64 = 315_964_800

    /// GPS time runs ahead of UTC by the leap seconds inserted since 1980: 18 since 2017-01-01 (IERS
    /// Bulletin C); update when the IERS announces another.
    public static let currentLeapSeconds = 18

    /// `instant` in µs since the GPS epoch, or `nil` when it lies before the epoch or is not finite.
    public static func gpsMicroseconds(at instant: Date, leapSeconds: Int = currentLeapSeconds) -> Int64? {
        let seconds = instant.timeIntervalSince1970 - Double(gpsEpochUnixSeconds) + Double(leapSeconds)
        let microseconds = (seconds * 1_000_000).rounded()
        guard microseconds.isFinite, microseconds >= 0, let value = Int64(exactly: microseconds) else { return nil }
        return value
    }
}
