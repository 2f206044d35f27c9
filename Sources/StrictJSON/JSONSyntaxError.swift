/// Why bytes are not one JSON value: the byte where parsing stopped and what was expected there.
///
/// A single plain type rather than an enum of cases: callers do not branch on the kind of syntax
/// error, they wrap it in their own protocol's error (a station's `malformedJSON`, a Join Server's
/// `MalformedRequest` answer), and the reason is a sentence for the log and the peer. A reason never
/// quotes more than a short excerpt of the input.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte offset into the input where parsing stopped.
    public var offset: Int
    /// What was wrong there, as a phrase ("expected ':' after a member name").
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
