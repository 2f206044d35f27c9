/// An application's identifier: what events, webhooks and stream subscriptions are routed by.
///
/// Chosen by the operator and shown in URLs, JSON and log lines, so it is restricted to 1-64
/// characters of lower-case letters, digits, `-`, `_` and `.`.
public struct ApplicationID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard (1...64).contains(text.utf8.count), text.utf8.allSatisfy(Self.isAllowed) else { return nil }
        rawValue = text
    }

    public var description: String { rawValue }

    public static func < (lhs: ApplicationID, rhs: ApplicationID) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }
}
