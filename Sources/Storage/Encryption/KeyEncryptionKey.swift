import Crypto
import Foundation
import LoRaWAN

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
        id = Hex.encode(tag.prefix(8))
    }

    /// Reads 32 bytes written as 64 hex digits or as base64 (standard or URL alphabet, padding optional),
    /// the forms `GATEHOUSE_KEK` and `GATEHOUSE_KEK_FILE` accept. The text never appears in the error.
    public init(encoded text: String) throws(StorageError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let bytes = Hex.decode(trimmed, count: Self.byteCount) ?? Self.base64(trimmed) {
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

    private static func base64(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { [UInt8]($0) }
    }
}
