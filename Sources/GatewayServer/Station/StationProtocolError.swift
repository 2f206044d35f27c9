/// Why a message from a LoRa Basics Station (an LNS websocket frame, a router-info request or a CUPS
/// request body) was refused. Every case names the field at fault in the station's own spelling
/// (`upinfo.xtime`, `DevEui`), so the log line and the metrics label say what to look at.
///
/// Values quoted from the input are cut short: a hostile station must not be able to write
/// kilobytes into our logs through an error message.
public enum StationProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message is larger than ``StationFrameLimits/maximumInboundMessageBytes``.
    case messageTooLarge(size: Int, limit: Int)
    /// The bytes are not one well-formed JSON value (RFC 8259); `offset` is the byte where it broke.
    case malformedJSON(offset: Int, reason: String)
    /// The JSON is well formed but is not an object, which every station message is.
    case notAnObject
    /// A field the message needs is absent.
    case missingField(String)
    /// A field holds the wrong kind of JSON value.
    case wrongType(field: String, expected: String, found: String)
    /// A number is outside what the field allows (a 32-bit MIC, a data rate 0-15, a 64-bit xtime).
    case outOfRange(field: String, value: String, allowed: String)
    /// A field that must be hexadecimal is not.
    case invalidHex(field: String)
    /// A field that must be an EUI-64 (or a router ID6) is not.
    case invalidEUI(field: String, reason: String)
    /// The fields do not rebuild a LoRaWAN frame the station could have received.
    case invalidFrame(field: String, reason: String)

    public var description: String {
        switch self {
        case .messageTooLarge(let size, let limit):
            "The station message is \(size) bytes, more than the \(limit) bytes accepted."
        case .malformedJSON(let offset, let reason):
            "The station message is not valid JSON at byte \(offset): \(reason)."
        case .notAnObject:
            "The station message is not a JSON object."
        case .missingField(let field):
            "The station message lacks the field \"\(field)\"."
        case .wrongType(let field, let expected, let found):
            "The field \"\(field)\" should be \(expected) but is \(found)."
        case .outOfRange(let field, let value, let allowed):
            "The field \"\(field)\" is \(value), outside \(allowed)."
        case .invalidHex(let field):
            "The field \"\(field)\" is not hexadecimal."
        case .invalidEUI(let field, let reason):
            "The field \"\(field)\" is not an EUI-64: \(reason)."
        case .invalidFrame(let field, let reason):
            "The field \"\(field)\" does not make a valid LoRaWAN frame: \(reason)."
        }
    }

    /// At most `limit` characters of untrusted text, marked when cut.
    static func excerpt(_ text: some StringProtocol, limit: Int = 32) -> String {
        text.count <= limit ? String(text) : String(text.prefix(limit)) + "…"
    }
}
