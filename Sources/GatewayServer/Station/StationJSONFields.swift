import LoRaWAN
import StrictJSON

/// Typed reads of station message fields. Each read names the field (with its path, `upinfo.xtime`) in
/// the ``StationProtocolError`` it throws, and refuses rather than converts: a fraction is not an
/// integer, an out-of-range number is not clamped, `null` is only accepted where a field is optional.
extension JSONObject {
    /// The field's full name for errors.
    package func fieldName(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    /// The member, or `nil` when it is absent or `null`.
    package func optionalValue(_ name: String) -> JSONValue? {
        guard let value = self[name], value != .null else { return nil }
        return value
    }

    /// The member, which must be present (it may still be `null`; the typed reads refuse that).
    package func requiredValue(_ name: String) throws(StationProtocolError) -> JSONValue {
        guard let value = self[name] else { throw .missingField(fieldName(name)) }
        return value
    }

    /// An integer that must fit `T` exactly.
    package func integer<T: FixedWidthInteger>(_ name: String, as type: T.Type = T.self) throws(StationProtocolError) -> T {
        try JSONValue.integer(try requiredValue(name), field: fieldName(name))
    }

    /// An integer that must lie in `range`.
    package func integer(_ name: String, in range: ClosedRange<Int64>) throws(StationProtocolError) -> Int64 {
        let value: Int64 = try integer(name)
        guard range.contains(value) else {
            throw .outOfRange(field: fieldName(name), value: String(value), allowed: "\(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// An integer that fits `T`, or `nil` when the field is absent or `null`.
    package func optionalInteger<T: FixedWidthInteger>(_ name: String, as type: T.Type = T.self) throws(StationProtocolError) -> T? {
        guard let value = optionalValue(name) else { return nil }
        return try JSONValue.integer(value, field: fieldName(name))
    }

    /// A finite number, written as an integer or with a fraction.
    package func number(_ name: String) throws(StationProtocolError) -> Double {
        try JSONValue.number(try requiredValue(name), field: fieldName(name))
    }

    /// A finite number, or `nil` when the field is absent or `null`.
    package func optionalNumber(_ name: String) throws(StationProtocolError) -> Double? {
        guard let value = optionalValue(name) else { return nil }
        return try JSONValue.number(value, field: fieldName(name))
    }

    package func string(_ name: String) throws(StationProtocolError) -> String {
        let value = try requiredValue(name)
        guard case .string(let text) = value else {
            throw .wrongType(field: fieldName(name), expected: "a string", found: value.kindDescription)
        }
        return text
    }

    /// A string, or `nil` when the field is absent or `null`.
    package func optionalString(_ name: String) throws(StationProtocolError) -> String? {
        guard let value = optionalValue(name) else { return nil }
        guard case .string(let text) = value else {
            throw .wrongType(field: fieldName(name), expected: "a string or null", found: value.kindDescription)
        }
        return text
    }

    package func object(_ name: String) throws(StationProtocolError) -> JSONObject {
        let value = try requiredValue(name)
        guard case .object(let object) = value else {
            throw .wrongType(field: fieldName(name), expected: "an object", found: value.kindDescription)
        }
        return object
    }

    /// Bytes written as hex digits only (either case, no separators, an even count; may be empty).
    package func hexBytes(_ name: String) throws(StationProtocolError) -> [UInt8] {
        let text = try string(name)
        // `Hex.decode` skips separators and a `0x` prefix, which operators paste but a station never sends.
        guard text.utf8.allSatisfy(Self.isHexDigit), let bytes = Hex.decode(text) else {
            throw .invalidHex(field: fieldName(name))
        }
        return bytes
    }

    /// An EUI-64 as the station writes DevEui and JoinEui (`00-04-A3-0B-00-1C-05-30`); any form
    /// ``EUI64/init(parsing:)`` reads is accepted.
    package func eui(_ name: String) throws(StationProtocolError) -> EUI64 {
        try JSONValue.eui(fromText: try string(name), field: fieldName(name))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}

extension JSONValue {
    /// `value` as an integer that fits `T` exactly.
    package static func integer<T: FixedWidthInteger>(_ value: JSONValue, field: String) throws(StationProtocolError) -> T {
        switch value {
        case .integer(let number):
            guard let exact = T(exactly: number) else {
                throw .outOfRange(field: field, value: String(number), allowed: "\(T.min)...\(T.max)")
            }
            return exact
        case .largeInteger(let text):
            throw .outOfRange(field: field, value: StationProtocolError.excerpt(text), allowed: "\(T.min)...\(T.max)")
        default:
            throw .wrongType(field: field, expected: "an integer", found: value.kindDescription)
        }
    }

    /// `value` as a finite number.
    package static func number(_ value: JSONValue, field: String) throws(StationProtocolError) -> Double {
        let number: Double
        switch value {
        case .integer(let integer): number = Double(integer)
        case .float(let float): number = float
        case .largeInteger(let text): number = Double(text) ?? .infinity
        default: throw .wrongType(field: field, expected: "a number", found: value.kindDescription)
        }
        guard number.isFinite else {
            throw .outOfRange(field: field, value: "a number too large", allowed: "finite numbers")
        }
        return number
    }

    /// An EUI from text in any form ``EUI64/init(parsing:)`` reads, with the reason when it is not one.
    package static func eui(fromText text: String, field: String) throws(StationProtocolError) -> EUI64 {
        // Long text is refused before parsing so that the reason, which quotes it, stays short.
        guard text.utf8.count <= 40 else { throw .invalidEUI(field: field, reason: "the text is too long") }
        do {
            return try EUI64(parsing: text)
        } catch {
            throw .invalidEUI(field: field, reason: error.description)
        }
    }
}
