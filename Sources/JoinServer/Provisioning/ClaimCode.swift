/// The secret printed on a device's label (or its box) that lets whoever holds the device claim it
/// after the manufacturer imported it unowned. The Join Server keeps only its hash (`hash(joinEUI:devEUI:)`).
///
/// 6 to 64 printable ASCII characters without spaces, so it survives a QR code, a CSV cell and being
/// typed from a sticker. Like a key, it never prints: `description`, `debugDescription` and reflection
/// show `<redacted>`, and parse errors say what is wrong without repeating the text.
public struct ClaimCode: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let lengths = 6...64

    /// The ASCII bytes, hashed and compared, never shown.
    let bytes: [UInt8]

    /// Accepts the text as given: no trimming, no case folding, because the code is a secret and
    /// "almost the code" must not match.
    public init(parsing text: some StringProtocol) throws(ClaimCodeError) {
        let bytes = Array(text.utf8)
        guard Self.lengths.contains(bytes.count) else { throw .length(bytes.count) }
        // 0x21 "!" to 0x7E "~": printable ASCII without the space.
        if let position = bytes.firstIndex(where: { !(0x21...0x7E).contains($0) }) {
            throw .invalidCharacter(position: position + 1)
        }
        self.bytes = bytes
    }

    /// Compares in constant time, so comparing a candidate leaks nothing through timing.
    public static func == (lhs: ClaimCode, rhs: ClaimCode) -> Bool {
        ConstantTime.equal(lhs.bytes, rhs.bytes)
    }

    public var description: String { "ClaimCode(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Why a text is not a claim code. Never carries the text.
public enum ClaimCodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The length in bytes, outside 6...64.
    case length(Int)
    /// The 1-based byte position of the first character that is not printable ASCII, or a space.
    case invalidCharacter(position: Int)

    public var description: String {
        switch self {
        case .length(let n): "a claim code has \(ClaimCode.lengths.lowerBound) to \(ClaimCode.lengths.upperBound) characters, got \(n)"
        case .invalidCharacter(let position): "character \(position) of the claim code is not printable ASCII (spaces are not allowed)"
        }
    }
}
