/// A JSON object: members in their written order, looked up by name, each name at most once.
///
/// Names are unique because a repeated name is ambiguous: one peer's decoder keeps the first of two
/// `DevEUI`s, Go's keeps the last, and a server must never be the one that reads differently. The
/// parser refuses a repeated name; ``append(_:_:)`` refuses one too, so what we write is never
/// ambiguous either.
///
/// Two objects are equal when they have the same names with equal values, in any order, as JSON
/// defines object equality; ``path`` does not take part.
public struct JSONObject: Sendable, Equatable {
    /// One member of an object.
    public struct Member: Sendable, Equatable {
        public var name: String
        public var value: JSONValue

        public init(_ name: String, _ value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// The members in the order they were written or appended.
    public private(set) var members: [Member] = []

    /// Where this object sits in the parsed text (`upinfo`, `DRs[3].conf`; empty at the top level),
    /// so that field readers can name a nested field in full in their errors without carrying the
    /// path alongside. The parser sets it; objects built for sending leave it empty.
    public var path: String

    /// Positions by name, built once the object passes ``linearLookupLimit`` members.
    private var positions: [String: Int]?

    /// Protocol objects have a dozen members, for which a linear scan beats hashing; past this many,
    /// lookups go through an index so that a hostile object of thousands of members costs linear
    /// time to parse, not quadratic.
    static let linearLookupLimit = 32

    /// An object of `members`, in that order. A name that appears again is left out (the first one
    /// stays), as ``append(_:_:)`` does.
    public init(_ members: [Member] = [], path: String = "") {
        self.path = path
        for member in members { append(member.name, member.value) }
    }

    /// The value of `name`, or `nil` when the object has no such member.
    public subscript(name: String) -> JSONValue? {
        position(of: name).map { members[$0].value }
    }

    /// Appends a member, the builder for messages we send. Returns `false`, and changes nothing, when
    /// the name is already there.
    @discardableResult
    public mutating func append(_ name: String, _ value: JSONValue) -> Bool {
        guard !contains(name) else { return false }
        appendNew(name, value)
        return true
    }

    /// Whether the object has a member `name`; the parser asks before reading the member's value.
    func contains(_ name: String) -> Bool { position(of: name) != nil }

    /// Appends a member whose name the caller has checked with ``contains(_:)``: the parser looks a
    /// name up once per member, not twice, on the per-message path.
    mutating func appendNew(_ name: String, _ value: JSONValue) {
        positions?[name] = members.count
        members.append(Member(name, value))
        if positions == nil, members.count > Self.linearLookupLimit {
            positions = Dictionary(members.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private func position(of name: String) -> Int? {
        if let positions { return positions[name] }
        return members.firstIndex { $0.name == name }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count && lhs.members.allSatisfy { rhs[$0.name] == $0.value }
    }
}
