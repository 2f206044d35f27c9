import Crypto

/// RFC 3394 AES key wrap, as LoRaWAN Backend Interfaces key envelopes use it to hand session keys from
/// the Join Server to a Network or Application Server (initial value A6A6A6A6A6A6A6A6).
public enum KeyWrap {
    /// Why wrapping or unwrapping failed. Messages never include key material.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case invalidKEKLength(Int)
        case invalidInputLength(Int)
        /// The integrity check failed: wrong KEK, or the wrapped key was altered.
        case integrityCheckFailed

        public var description: String {
            switch self {
            case .invalidKEKLength(let n): "a key-encryption key is 16, 24 or 32 bytes, got \(n)"
            case .invalidInputLength(let n): "key wrap input must be a multiple of 8 bytes and at least 16 (wrap) or 24 (unwrap), got \(n)"
            case .integrityCheckFailed: "key unwrap integrity check failed: wrong key-encryption key or tampered envelope"
            }
        }
    }

    /// Wraps `plaintext` (16 bytes or more, a multiple of 8) under `kek` (16, 24 or 32 bytes).
    public static func wrap(_ plaintext: [UInt8], kek: [UInt8]) throws(Failure) -> [UInt8] {
        guard [16, 24, 32].contains(kek.count) else { throw .invalidKEKLength(kek.count) }
        guard plaintext.count >= 16, plaintext.count % 8 == 0 else { throw .invalidInputLength(plaintext.count) }
        do {
            let wrapped = try AES.KeyWrap.wrap(SymmetricKey(data: plaintext), using: SymmetricKey(data: kek))
            return Array(wrapped)
        } catch {
            throw .invalidInputLength(plaintext.count)
        }
    }

    /// Unwraps and checks integrity; a wrong KEK or a modified envelope is `.integrityCheckFailed`.
    public static func unwrap(_ ciphertext: [UInt8], kek: [UInt8]) throws(Failure) -> [UInt8] {
        guard [16, 24, 32].contains(kek.count) else { throw .invalidKEKLength(kek.count) }
        guard ciphertext.count >= 24, ciphertext.count % 8 == 0 else { throw .invalidInputLength(ciphertext.count) }
        do {
            let key = try AES.KeyWrap.unwrap(ciphertext, using: SymmetricKey(data: kek))
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw .integrityCheckFailed
        }
    }

    /// Wraps a 128-bit LoRaWAN key (24 bytes out).
    public static func wrap<Role>(_ key: AES128Key<Role>, kek: [UInt8]) throws(Failure) -> [UInt8] {
        try wrap(key.exportBytes(), kek: kek)
    }

    /// Unwraps a 128-bit LoRaWAN key in the role the caller expects.
    public static func unwrap<Role>(_ ciphertext: [UInt8], kek: [UInt8], as: AES128Key<Role>.Type) throws(Failure) -> AES128Key<Role> {
        let bytes = try unwrap(ciphertext, kek: kek)
        guard let key = AES128Key<Role>(bytes: bytes) else { throw .invalidInputLength(ciphertext.count) }
        return key
    }
}
