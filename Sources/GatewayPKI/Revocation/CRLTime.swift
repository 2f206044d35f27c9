import Foundation
import SwiftASN1

/// RFC 5280 `Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }` for thisUpdate,
/// nextUpdate and revocationDate.
///
/// RFC 5280 §5.1.2.4 and §4.1.2.5: dates through 2049 are UTCTime, dates in 2050 or later
/// GeneralizedTime, both in UTC with whole seconds.
enum CRLTime: DERParseable, DERSerializable, Sendable {
    case utcTime(UTCTime)
    case generalizedTime(GeneralizedTime)

    /// The time of `date`, truncated to whole seconds.
    init(_ date: Date) throws(CRLError) {
        let interval = date.timeIntervalSince1970.rounded(.down)
        // Years 0...9999 are what GeneralizedTime can carry.
        guard interval.isFinite, interval >= -62_167_219_200, interval < 253_402_300_800 else { throw .dateOutOfRange }
        let seconds = Int64(interval)
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let dayNumber = secondOfDay < 0 ? days - 1 : days
        let second = secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay
        let (year, month, day) = Self.civilDate(daysSinceEpoch: dayNumber)
        let hours = Int(second / 3600), minutes = Int(second % 3600 / 60), wholeSeconds = Int(second % 60)
        do {
            if (1950..<2050).contains(year) {
                self = .utcTime(
                    try UTCTime(year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: wholeSeconds))
            } else {
                self = .generalizedTime(
                    try GeneralizedTime(
                        year: year, month: month, day: day, hours: hours, minutes: minutes, seconds: wholeSeconds,
                        fractionalSeconds: 0))
            }
        } catch {
            throw .dateOutOfRange
        }
    }

    init(derEncoded node: ASN1Node) throws {
        switch node.identifier {
        case .utcTime: self = .utcTime(try UTCTime(derEncoded: node))
        case .generalizedTime: self = .generalizedTime(try GeneralizedTime(derEncoded: node))
        default: throw ASN1Error.unexpectedFieldType(node.identifier)
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        switch self {
        case .utcTime(let time): try coder.serialize(time)
        case .generalizedTime(let time): try coder.serialize(time)
        }
    }

    /// The instant this time names (whole seconds; GeneralizedTime fractions are kept).
    var date: Date {
        let (year, month, day, hours, minutes, seconds, fraction): (Int, Int, Int, Int, Int, Int, Double) =
            switch self {
            case .utcTime(let t): (t.year, t.month, t.day, t.hours, t.minutes, t.seconds, 0)
            case .generalizedTime(let t): (t.year, t.month, t.day, t.hours, t.minutes, t.seconds, t.fractionalSeconds)
            }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        let total = days * 86_400 + Int64(hours * 3600 + minutes * 60 + seconds)
        return Date(timeIntervalSince1970: Double(total) + fraction)
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant, `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// Day count since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
