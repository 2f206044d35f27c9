/// A JSON value as LoRa Basics Station messages use it.
///
/// Gatehouse parses and writes station JSON itself instead of going through Foundation because the
/// protocol needs three things Foundation does not give: 64-bit integers that stay exact past 2^53
/// (`xtime`), a distinction between integers and fractions (`"DR": 3` vs `"MuxTime": 1795262442.98`),
/// and errors that name the field at fault (Foundation reports an out-of-range number as "not valid
/// JSON" without a path). Objects keep their members in order so what we send is deterministic.
package enum StationJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// A number written with a fraction or an exponent (it may be infinite when the exponent is huge).
    case float(Double)
    /// A number written without fraction or exponent that does not fit in `Int64`, kept as its text.
    case largeInteger(String)
    case string(String)
    case array([StationJSON])
    case object(StationJSONObject)

    /// What the value is, for error messages ("a string", "null").
    package var kindDescription: String {
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

/// A JSON object: members in their written order, looked up by name.
///
/// Two objects are equal when they have the same names with equal values, in any order, as JSON
/// defines object equality. Parsing refuses duplicate names, so a name is never ambiguous.
package struct StationJSONObject: Sendable, Equatable {
    package struct Member: Sendable, Equatable {
        package var name: String
        package var value: StationJSON

        package init(_ name: String, _ value: StationJSON) {
            self.name = name
            self.value = value
        }
    }

    package var members: [Member]
    /// The path of this object inside the message (`upinfo`), prefixed to field names in errors.
    package var path: String

    package init(_ members: [Member] = [], path: String = "") {
        self.members = members
        self.path = path
    }

    /// The value of `name`, or `nil` when the object has no such member.
    package subscript(name: String) -> StationJSON? {
        members.first { $0.name == name }?.value
    }

    /// Appends a member; a builder for messages we send.
    package mutating func append(_ name: String, _ value: StationJSON) {
        members.append(Member(name, value))
    }

    package static func == (lhs: StationJSONObject, rhs: StationJSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { member in rhs[member.name] == member.value }
    }
}

extension StationJSONObject {
    /// The JSON object a station sent in one message, after checking its size.
    package static func message(_ bytes: [UInt8]) throws(StationProtocolError) -> StationJSONObject {
        guard bytes.count <= StationFrameLimits.maximumInboundMessageBytes else {
            throw .messageTooLarge(size: bytes.count, limit: StationFrameLimits.maximumInboundMessageBytes)
        }
        guard case .object(let object) = try StationJSONParser.parse(bytes) else { throw .notAnObject }
        return object
    }
}
