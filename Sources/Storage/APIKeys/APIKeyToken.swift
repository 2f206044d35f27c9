import Crypto
import Foundation
import LoRaWAN

/// The text form of an API key, `gh_<id>_<secret>`, and the hash stored in its place.
///
/// - `id`: 8 random bytes as 16 lower-case hex digits; public (it names the key in lists and logs and
///   finds the row), so looking it up need not be constant-time.
/// - `secret`: 32 random bytes, base64url without padding (43 characters).
///
/// The stored hash is a plain SHA-256 of the secret. Slow, salted password hashes (bcrypt, Argon2) exist
/// to make guessing low-entropy human passwords expensive; a 256-bit random secret cannot be guessed
/// however fast the hash, and a fast hash keeps verification (once per API request) cheap. The digests
/// are compared in constant time all the same.
struct APIKeyToken: Sendable {
    static let prefix = "gh_"
    static let idHexDigits = 16
    static let secretCharacters = 43

    let id: String
    let secret: String

    /// A new random key.
    static func generate() -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<idHexDigits / 2).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secretBytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Data(secretBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return APIKeyToken(id: Hex.encode(idBytes), secret: secret)
    }

    /// Parses a presented key strictly: anything but the exact shape is `nil`.
    init?(parsing text: String) {
        let utf8 = Array(text.utf8)
        let idEnd = Self.prefix.utf8.count + Self.idHexDigits
        guard utf8.count == idEnd + 1 + Self.secretCharacters, text.hasPrefix(Self.prefix), utf8[idEnd] == UInt8(ascii: "_") else {
            return nil
        }
        let id = utf8[Self.prefix.utf8.count..<idEnd]
        let secret = utf8[(idEnd + 1)...]
        guard id.allSatisfy(Self.isLowerHex), secret.allSatisfy(Self.isBase64URL) else { return nil }
        self.init(id: String(decoding: id, as: UTF8.self), secret: String(decoding: secret, as: UTF8.self))
    }

    private init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    var text: String { "\(Self.prefix)\(id)_\(secret)" }

    var secretHash: [UInt8] { Array(SHA256.hash(data: Array(secret.utf8))) }

    /// Equal digests, compared without an early exit, so the time taken does not tell how many leading
    /// bytes of a guess were right.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
