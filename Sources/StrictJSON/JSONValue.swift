/// A JSON value (RFC 8259) as Gatehouse's protocols carry it: LoRa Basics Station messages and
/// LoRaWAN Backend Interfaces bodies.
///
/// Gatehouse parses and writes this JSON itself rather than through Foundation's `JSONSerialization`
/// because both protocols need what it does not give: integers told apart from fractions (`"DR": 3`
/// and `"RxDelay": 5` are valid, `5.0` is not), 64-bit integers that stay exact past 2^53 (`xtime`),
/// numbers that never overflow or trap on the way in, members kept in their written order (what we
/// send is deterministic and comparable byte for byte), duplicate member names refused, and limits
/// (nesting depth) that are the caller's to choose.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int64`.
    case integer(Int64)
    /// A number written with a fraction or an exponent. It may be infinite (or zero) when the exponent
    /// is huge: JSON has no bound, so the field reader, not the parser, decides what is out of range.
    case float(Double)
    /// A number written without fraction or exponent that does not fit in `Int64`, kept as the text
    /// the parser read so that it is never rounded. The writer copies it verbatim: build one only from
    /// text that is a JSON integer.
    case largeInteger(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// What the value is, for error messages ("should be a string but is null"); never the value
    /// itself, which may be a key or kilobytes of hostile text.
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .largeInteger: "an integer"
        case .float: "a number with a fraction or exponent"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
