import LoRaWAN
import StrictJSON

/// A member that does not hold what the message needs. It names the member and says what was
/// expected, never what was there: byte fields may be keys, and the text goes back to the peer and
/// into logs.
struct BackendFieldError: Error, Sendable, CustomStringConvertible {
    var field: String
    var reason: String

    var description: String { "\(field) \(reason)" }
}

/// Typed reads of the members of one message object, each failing with a ``BackendFieldError``.
///
/// `null` counts as absent everywhere: Go peers write a nil pointer as `null` unless told otherwise.
struct BackendJSONFields {
    let object: JSONObject
    /// Where this object sits (`NwkSKey`), prefixed to member names in errors.
    let path: String

    init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    func fieldName(_ member: String) -> String { path.isEmpty ? member : "\(path).\(member)" }

    func failure(_ member: String, _ reason: String) -> BackendFieldError {
        BackendFieldError(field: fieldName(member), reason: reason)
    }

    /// The member's value, `nil` when absent or `null`.
    func value(_ member: String) -> JSONValue? {
        switch object[member] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    func optionalString(_ member: String) throws(BackendFieldError) -> String? {
        switch value(member) {
        case nil: return nil
        case .string(let text)?: return text
        case let other?: throw failure(member, "must be a string, got \(other.kindDescription)")
        }
    }

    func requiredString(_ member: String) throws(BackendFieldError) -> String {
        guard let text = try optionalString(member) else { throw failure(member, "is missing") }
        return text
    }

    /// Hex of `count` bytes; an empty string counts as absent (ChirpStack and Go peers write empty
    /// byte fields as `""` or leave them out).
    func optionalHex(_ member: String, count: ClosedRange<Int>) throws(BackendFieldError) -> [UInt8]? {
        guard let text = try optionalString(member), !text.isEmpty else { return nil }
        guard let bytes = BackendWireHex.decode(text), count.contains(bytes.count) else {
            let expected = count.lowerBound == count.upperBound
                ? "\(count.lowerBound * 2) hex digits" : "hex of \(count.lowerBound) to \(count.upperBound) bytes"
            throw failure(member, "must be \(expected)")
        }
        return bytes
    }

    func requiredHex(_ member: String, count: ClosedRange<Int>) throws(BackendFieldError) -> [UInt8] {
        guard let bytes = try optionalHex(member, count: count) else {
            throw failure(member, value(member) == .string("") ? "is empty" : "is missing")
        }
        return bytes
    }

    func optionalEUI64(_ member: String) throws(BackendFieldError) -> EUI64? {
        try optionalHex(member, count: 8...8).map { EUI64(bigEndianBytes: $0) }
    }

    func requiredEUI64(_ member: String) throws(BackendFieldError) -> EUI64 {
        EUI64(bigEndianBytes: try requiredHex(member, count: 8...8))
    }

    /// A JSON integer (no fraction, no exponent) in `range`.
    func optionalInteger(_ member: String, in range: ClosedRange<Int64>) throws(BackendFieldError) -> Int64? {
        switch value(member) {
        case nil: return nil
        case .integer(let number)? where range.contains(number): return number
        case .integer?, .largeInteger?, .float?: throw failure(member, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        case let other?: throw failure(member, "must be an integer, got \(other.kindDescription)")
        }
    }

    func requiredInteger(_ member: String, in range: ClosedRange<Int64>) throws(BackendFieldError) -> Int64 {
        guard let number = try optionalInteger(member, in: range) else { throw failure(member, "is missing") }
        return number
    }

    func optionalObject(_ member: String) throws(BackendFieldError) -> BackendJSONFields? {
        switch value(member) {
        case nil: return nil
        case .object(let nested)?: return BackendJSONFields(nested, path: fieldName(member))
        case let other?: throw failure(member, "must be an object, got \(other.kindDescription)")
        }
    }
}

/// Limits the codec puts on byte fields whose length LoRaWAN leaves to the message.
enum BackendFieldLimits {
    /// A PHYPayload: the largest LoRaWAN frame a Join Server sees is a 33-byte join-accept; 64 leaves
    /// room without letting a body carry kilobytes into the frame decoders.
    static let phyPayloadBytes = 1...64
    /// `SessionKeyID`: The Things Stack sends a 16-byte ULID; other peers choose their own.
    static let sessionKeyIDBytes = 1...64
    /// `AESKey` of a key envelope: 16 bytes plain, 24 wrapped (RFC 3394); opening it checks which.
    static let aesKeyBytes = 1...64
}

extension BackendFieldError {
    /// A short, printable rendering of a value that is not secret (a version, a message type), for
    /// a `Description` or a log line: printable ASCII only, at most 16 characters.
    static func quoted(_ text: String) -> String {
        let printable = text.unicodeScalars.prefix(17).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" }
        return printable.count > 16 ? "\"\(String(printable.prefix(16)))…\"" : "\"\(String(printable))\""
    }
}
