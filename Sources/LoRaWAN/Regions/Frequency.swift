/// A radio frequency in hertz.
///
/// LoRaWAN carries frequencies as whole hertz (Basics Station `Freq`, 868100000) or in units of
/// 100 Hz (CFList, NewChannelReq); every channel of every region fits in 32 bits, so a `UInt32`
/// wrapper keeps the arithmetic exact and the type keeps a frequency from being mistaken for a count.
public struct Frequency: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The frequency in hertz.
    public let hertz: UInt32

    public init(hertz: UInt32) { self.hertz = hertz }

    /// `nil` when `kilohertz` × 1000 does not fit in 32 bits.
    public init?(kilohertz: UInt32) {
        let (value, overflow) = kilohertz.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return nil }
        hertz = value
    }

    /// The frequency `count` × `step` above this one, or `nil` on overflow (channel grids use this).
    public func advanced(by step: UInt32, times count: Int) -> Frequency? {
        guard count >= 0, let times = UInt32(exactly: count) else { return nil }
        let (offset, overflowA) = step.multipliedReportingOverflow(by: times)
        let (value, overflowB) = hertz.addingReportingOverflow(offset)
        guard !overflowA, !overflowB else { return nil }
        return Frequency(hertz: value)
    }

    public static func < (a: Frequency, b: Frequency) -> Bool { a.hertz < b.hertz }

    /// Megahertz with only the significant decimals: "868.1 MHz", "869.525 MHz", "923.3 MHz".
    public var description: String {
        let whole = hertz / 1_000_000
        var fraction = hertz % 1_000_000
        guard fraction != 0 else { return "\(whole) MHz" }
        var digits = 6
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        let padding = String(repeating: "0", count: max(0, digits - text.count))
        return "\(whole).\(padding)\(text) MHz"
    }
}
