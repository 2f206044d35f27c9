import CAESBlock
import Crypto
import _CryptoExtras

/// AES-128 with the key schedule expanded once, for the many single-block operations LoRaWAN is made
/// of (CMAC, the counter-mode payload cipher, key derivation).
///
/// With AES-NI (every x86-64 server CPU of the last decade) blocks go through the `CAESBlock` C target;
/// elsewhere through swift-crypto's `AES.permute`, which expands the key on every call. The result is the
/// same; the vectors and a property test check both paths agree.
@usableFromInline
struct AES128Cipher {
    @usableFromInline var schedule: caes128_schedule
    @usableFromInline let key: (UInt64, UInt64)

    /// Whether the CPU has the AES instructions; read once per process (CPUID is slow in virtual machines).
    @usableFromInline static let hardwareAvailable = caes128_hardware_available() != 0

    @inlinable
    init<Role>(key: AES128Key<Role>) {
        self.key = key.storage
        schedule = caes128_schedule()
        if Self.hardwareAvailable {
            var keyCopy = key.storage
            withUnsafeBytes(of: &keyCopy) { raw in
                caes128_expand(raw.baseAddress!.assumingMemoryBound(to: UInt8.self), &schedule)
            }
        }
    }

    /// The forward cipher, in place.
    @inlinable
    func encrypt(_ block: inout AESBlock) {
        if Self.hardwareAvailable {
            withUnsafePointer(to: schedule) { s in
                block.withUnsafeMutableBytes { raw in
                    let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    caes128_encrypt(s, p, p)
                }
            }
        } else {
            Self.permuteInSoftware(&block, key: key, forward: true)
        }
    }

    /// The inverse cipher, in place (join-accept encryption and TS005 McKey encryption use it).
    @inlinable
    func decrypt(_ block: inout AESBlock) {
        if Self.hardwareAvailable {
            withUnsafePointer(to: schedule) { s in
                block.withUnsafeMutableBytes { raw in
                    let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    caes128_decrypt(s, p, p)
                }
            }
        } else {
            Self.permuteInSoftware(&block, key: key, forward: false)
        }
    }

    @inlinable
    func encrypted(_ block: AESBlock) -> AESBlock {
        var b = block
        encrypt(&b)
        return b
    }

    @usableFromInline
    static func permuteInSoftware(_ block: inout AESBlock, key: (UInt64, UInt64), forward: Bool) {
        var keyCopy = key
        let symmetricKey = withUnsafeBytes(of: &keyCopy) { SymmetricKey(data: $0) }
        var bytes = block.bytes
        do {
            if forward {
                try AES.permute(&bytes, key: symmetricKey)
            } else {
                try AES.inversePermute(&bytes, key: symmetricKey)
            }
        } catch {
            preconditionFailure("AES-128 of one 16-byte block with a 16-byte key cannot fail: \(error)")
        }
        block = AESBlock(bytes: bytes)
    }
}
