import Crypto
import LoRaWAN

/// The shared secret an application's webhook receivers verify signatures with
/// (`X-Gatehouse-Signature`, see ``WebhookSignature``).
///
/// The HMAC key is the UTF-8 of the secret's text, exactly as the receiver configures it (as GitHub
/// and Stripe webhooks do), so a receiver needs no decoding step. It is an API secret: `Storage` seals
/// it at rest (DESIGN.md invariant 2), and it never prints.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let text: String

    /// At least 16 bytes: shorter secrets are guessable offline from one signed body.
    public static let minimumLength = 16

    /// - Returns: `nil` for a secret shorter than ``minimumLength`` bytes or longer than 256.
    public init?(_ text: String) {
        guard (Self.minimumLength...256).contains(text.utf8.count) else { return nil }
        self.text = text
    }

    /// A new secret: `whsec_` and 32 random bytes in hex (256 bits from the system's CSPRNG).
    public static func generate() -> WebhookSecret {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        // A 6 + 64 character text is always within bounds.
        return WebhookSecret("whsec_" + Hex.encode(bytes))!
    }

    /// The secret's text, to show to its owner once and to seal at rest. Never log the result.
    public func exportText() -> String { text }

    /// The HMAC-SHA256 key.
    var key: SymmetricKey { SymmetricKey(data: Array(text.utf8)) }

    /// Constant time: comparing a candidate secret leaks nothing through timing.
    public static func == (lhs: WebhookSecret, rhs: WebhookSecret) -> Bool {
        let a = Array(lhs.text.utf8)
        let b = Array(rhs.text.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    public var description: String { "WebhookSecret(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
