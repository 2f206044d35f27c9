/// The station's timestamps (basics-station-protocol §0): `xtime` = bits 55-48 a session id (never 0),
/// bits 47-0 the concentrator's µs counter; `txtime` = station monotonic seconds. Every frame gets a
/// distinct, growing `xtime`, so that a class A downlink can be matched to the uplink it answers.
struct StationRadioClock: Sendable {
    let sessionID: UInt8
    private let start: ContinuousClock.Instant
    /// The counter's value at `start`: a concentrator has been counting since it powered up, so times
    /// a few seconds before the simulation began are still valid counter values.
    private let offset: Int64
    private var lastXTime: Int64 = 0

    init(
        sessionID: UInt8 = UInt8.random(in: 1...255), start: ContinuousClock.Instant = .now,
        offset: Int64 = Int64.random(in: 1_000_000_000...(1 << 40))
    ) {
        self.sessionID = max(1, sessionID)
        self.start = start
        self.offset = offset
    }

    /// The concentrator's µs counter.
    func microseconds(at instant: ContinuousClock.Instant) -> Int64 {
        let elapsed = instant - start
        return offset + elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }

    /// The `xtime` of a frame received at `instant`, above every earlier one.
    mutating func nextXTime(at instant: ContinuousClock.Instant = .now) -> Int64 {
        let counter = microseconds(at: instant) & 0xFFFF_FFFF_FFFF
        let candidate = Int64(sessionID) << 48 | counter
        lastXTime = max(candidate, lastXTime + 1)
        return lastXTime
    }

    /// `txtime` of `dntxed`: the station's monotonic clock in seconds.
    func stationSeconds(at instant: ContinuousClock.Instant = .now) -> Double {
        Double(microseconds(at: instant)) / 1_000_000
    }
}
