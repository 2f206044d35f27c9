/// AES-CMAC (RFC 4493) with its subkeys computed once per key.
///
/// LoRaWAN MICs are CMACs over a 16-byte B0/B1 block followed by the message, so `mac(prefix:message:)`
/// takes that block separately instead of concatenating into a new buffer on every frame.
@usableFromInline
struct CMAC {
    @usableFromInline let cipher: AES128Cipher
    @usableFromInline let k1: AESBlock
    @usableFromInline let k2: AESBlock

    @inlinable
    init<Role>(key: AES128Key<Role>) {
        cipher = AES128Cipher(key: key)
        let l = cipher.encrypted(.zero)
        k1 = l.doubled
        k2 = k1.doubled
    }

    /// CMAC of `prefix` (one whole block, if given) followed by `message`.
    @inlinable
    func mac(prefix: AESBlock? = nil, message: UnsafeRawBufferPointer) -> AESBlock {
        var x = AESBlock.zero
        if let prefix {
            if message.isEmpty { return cipher.encrypted(prefix ^ k1) }
            x = cipher.encrypted(prefix)
        }
        var offset = 0
        // Every block but the last is plain CBC.
        while message.count - offset > 16 {
            x ^= AESBlock(loading: message, at: offset)
            cipher.encrypt(&x)
            offset += 16
        }
        let tail = UnsafeRawBufferPointer(rebasing: message[offset...])
        var last = AESBlock(partial: tail)
        if tail.count == 16 {
            last ^= k1
        } else {
            last[tail.count] = 0x80
            last ^= k2
        }
        x ^= last
        cipher.encrypt(&x)
        return x
    }

    func mac(_ message: [UInt8]) -> AESBlock { message.withUnsafeBytes { mac(message: $0) } }
}

/// RFC 4493 AES-CMAC, for callers outside the LoRaWAN formulas (the CLI, vectors, key derivation KDFs).
public enum AESCMAC {
    /// The full 16-byte CMAC of `message` under a 16-byte key.
    public static func mac<Role>(key: AES128Key<Role>, message: [UInt8]) -> [UInt8] {
        CMAC(key: key).mac(message).bytes
    }
}
