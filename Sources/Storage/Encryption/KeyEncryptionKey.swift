import Crypto
import Foundation

/// The key-encryption key (KEK): the AES-256 key that seals every secret Gatehouse stores (DESIGN.md
/// invariant 2). It comes from configuration (see ``KeyEncryptionKeySource``), never from the database
/// it protects.
///
/// It prints as its ``id`` only; the key bytes have no public accessor.
public struct KeyEncryptionKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key's length: AES-256.
    public static let byteCount = 32

    let symmetricKey: SymmetricKey

    /// A public name for the key, recorded beside each sealed secret so that a wrong key is reported as
    /// such instead of as corrupt data: the first 8 bytes of HMAC-SHA256(key, "gatehouse kek id"), in
    /// hex. One-way, so it reveals nothing about the key.
    public let id: String

    /// - Throws: `.keyEncryptionKeyInvalid` unless `bytes` holds exactly 32 bytes.
    public init(bytes: [UInt8]) throws(StorageError) {
        guard bytes.count == Self.byteCount else {
            throw .keyEncryptionKeyInvalid("it must be \(Self.byteCount) bytes (AES-256), not \(bytes.count)")
        }
        self.init(symmetricKey: SymmetricKey(data: bytes))
    }

    /// - Precondition: `symmetricKey` has 256 bits; the public initialisers check it.
    private init(symmetricKey: SymmetricKey) {
        self.symmetricKey = symmetricKey
        let tag = HMAC<SHA256>.authenticationCode(for: Array("gatehouse kek id".utf8), using: symmetricKey)
        id = tag.prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads 32 bytes written as 64 hex digits or as base64 (standard or URL alphabet, padding optional),
    /// the forms `GATEHOUSE_KEK` and `GATEHOUSE_KEK_FILE` accept. The text never appears in the error.
    public init(encoded text: String) throws(StorageError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let bytes = Self.hex(trimmed) ?? Self.base64(trimmed) {
            try self.init(bytes: bytes)
        } else {
            throw .keyEncryptionKeyInvalid("it is neither 64 hex digits nor base64 of \(Self.byteCount) bytes")
        }
    }

    /// A new random key (the embedded default's generated `kek` file).
    public static func generate() -> KeyEncryptionKey {
        KeyEncryptionKey(symmetricKey: SymmetricKey(size: .bits256))
    }

    /// Base64 of the key, for the one place that writes it: the generated `kek` file.
    func base64ForKeyFile() -> String {
        symmetricKey.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    public var description: String { "KeyEncryptionKey(id: \(id), <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }

    private static func hex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == byteCount * 2 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func base64(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }
}
