import Foundation

/// Times as `BIGINT` microseconds since 1970-01-01 UTC: the same type, order and precision on SQLite
/// (which has no timestamp type) and PostgreSQL, comparable in SQL with plain `<`.
///
/// A `Date` read back equals the one stored when the stored one had whole microseconds (certificate
/// validity has whole seconds; an injected clock should round to microseconds when exact equality
/// matters).
enum StoredTime {
    /// Clamped to the representable range rather than trapping on `Date.distantFuture`-like values.
    static func microseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard value.isFinite else { return value > 0 ? .max : .min }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }

    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }
}
