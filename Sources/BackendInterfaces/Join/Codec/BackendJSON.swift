/// A JSON value as Backend Interfaces messages carry it.
///
/// The codec parses and writes JSON itself rather than through Foundation because it needs what
/// `JSONSerialization` does not give: integers told apart from fractions (`"RxDelay": 5` is valid,
/// `5.0` is not), numbers that never overflow or round on the way in, members kept in their written
/// order (answers follow The Things Stack's member order), and a parser whose limits are ours.
enum BackendJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int64`.
    case integer(Int64)
    /// Any other number (fraction, exponent, or too large for `Int64`), kept as its text: no field of
    /// the Backend Interfaces is one, so it is never converted.
    case otherNumber(String)
    case string(String)
    case array([BackendJSON])
    case object(BackendJSONObject)

    /// What the value is, for error messages ("got a number"); never the value itself.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .otherNumber: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object: members in their written order, and an index by name.
///
/// The parser refuses duplicate names, so a member is never ambiguous (Go's decoder would keep the
/// last of two `DevEUI`s, another the first; a Join Server must not be the one that reads differently).
struct BackendJSONObject: Sendable, Equatable {
    private(set) var members: [(name: String, value: BackendJSON)] = []
    private var positions: [String: Int] = [:]

    init() {}

    /// The value of `name`, or `nil` when the object has no such member.
    subscript(name: String) -> BackendJSON? {
        positions[name].map { members[$0].value }
    }

    /// Appends a member; returns `false` (and changes nothing) when the name is already there.
    @discardableResult
    mutating func append(_ name: String, _ value: BackendJSON) -> Bool {
        guard positions[name] == nil else { return false }
        positions[name] = members.count
        members.append((name, value))
        return true
    }

    /// JSON object equality: the same names with equal values, in any order.
    static func == (lhs: BackendJSONObject, rhs: BackendJSONObject) -> Bool {
        lhs.members.count == rhs.members.count && lhs.members.allSatisfy { rhs[$0.name] == $0.value }
    }
}
