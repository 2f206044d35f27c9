/// What operators may call the Join Server's keys and write beside its devices, one rule for the API and
/// the CLI. Names and texts appear in URLs, key envelopes, error messages and the audit log, so they are
/// bounded and printable.
public enum JoinNameRules {
    public static let maximumKEKLabelLength = 64
    public static let maximumMasterKeyNameLength = 64
    public static let maximumTextLength = 200

    public static let kekLabelRule = "a KEK label is 1 to \(maximumKEKLabelLength) printable ASCII characters, not starting or ending with a space"
    public static let masterKeyNameRule = "a master key name is 1 to \(maximumMasterKeyNameLength) letters, digits, '.', '-' or '_'"
    public static let textRule = "1 to \(maximumTextLength) characters on one line"

    /// Printable ASCII (spaces inside only), as the Join Server's batch and export readers require of the
    /// labels they find in documents.
    public static func isValidKEKLabel(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return (1...maximumKEKLabelLength).contains(bytes.count) && bytes.allSatisfy { (0x20...0x7E).contains($0) }
            && bytes.first != 0x20 && bytes.last != 0x20
    }

    /// Safe in a URL path segment without escaping.
    public static func isValidMasterKeyName(_ text: String) -> Bool {
        (1...maximumMasterKeyNameLength).contains(text.utf8.count)
            && text.utf8.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    /// An owner or a reason, already trimmed: not empty, bounded, no control characters (one log line).
    public static func isValidText(_ text: String) -> Bool {
        !text.isEmpty && text.count <= maximumTextLength && !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
