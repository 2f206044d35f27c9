import StrictJSON

/// The JSON of Backend Interfaces bodies: the shared strict parser and writer (``JSONParser``,
/// ``JSONValue/serialized``) with the limits and writing conventions of this protocol.
///
/// Strict because a Join Server must read a request as every peer does (a repeated `DevEUI` is
/// refused, not resolved); without Foundation because `"RxDelay": 5` is valid and `5.0` is not, and
/// answers follow The Things Stack's member order (see ``JSONValue``).
enum BackendJSON {
    /// Nesting depth accepted: the deepest known member, The Things Stack's `VSExtension`, nests
    /// three levels; the rest is room for peers' extensions, not for a hostile `[[[[…`.
    static let maximumDepth = 32

    /// Parses one JSON value that fills `body` (white space around it allowed). The caller has
    /// checked the body's size, and turns a syntax error into its own failure.
    static func parse(_ body: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(body, maximumDepth: maximumDepth)
    }
}

extension JSONObject {
    /// Appends a member whose value may be absent: absent optionals are omitted, never written as
    /// `null` (ChirpStack's serde refuses `null` where it expects a value).
    mutating func appendIfPresent(_ name: String, _ value: JSONValue?) {
        if let value { append(name, value) }
    }
}
