/// One 16-byte AES block held in two words, so block arithmetic (XOR, CMAC doubling) needs no heap and
/// no byte loops.
@usableFromInline
struct AESBlock: Equatable {
    @usableFromInline var storage: (UInt64, UInt64)

    @inlinable init(storage: (UInt64, UInt64)) { self.storage = storage }

    @inlinable static var zero: AESBlock { AESBlock(storage: (0, 0)) }

    @inlinable
    static func == (a: AESBlock, b: AESBlock) -> Bool { a.storage.0 == b.storage.0 && a.storage.1 == b.storage.1 }

    /// Reads 16 bytes from `raw` at `offset` (no alignment needed).
    @inlinable
    init(loading raw: UnsafeRawBufferPointer, at offset: Int = 0) {
        storage = (
            raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
            raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
        )
    }

    /// Builds a block from up to 16 bytes, the rest zero.
    @inlinable
    init(partial raw: UnsafeRawBufferPointer) {
        storage = (0, 0)
        Swift.withUnsafeMutableBytes(of: &storage) { out in
            out.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw.prefix(16)))
        }
    }

    init(bytes: [UInt8]) {
        precondition(bytes.count <= 16)
        self = bytes.withUnsafeBytes { AESBlock(partial: $0) }
    }

    @inlinable
    static func ^ (a: AESBlock, b: AESBlock) -> AESBlock {
        AESBlock(storage: (a.storage.0 ^ b.storage.0, a.storage.1 ^ b.storage.1))
    }

    @inlinable
    static func ^= (a: inout AESBlock, b: AESBlock) { a = a ^ b }

    @inlinable
    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) -> R) -> R {
        Swift.withUnsafeMutableBytes(of: &storage, body)
    }

    @inlinable
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        var copy = storage
        return Swift.withUnsafeBytes(of: &copy, body)
    }

    @inlinable
    subscript(index: Int) -> UInt8 {
        get { withUnsafeBytes { $0[index] } }
        set { withUnsafeMutableBytes { $0[index] = newValue } }
    }

    var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Multiplication by x in GF(2^128), the CMAC subkey step (RFC 4493 §2.3).
    @inlinable
    var doubled: AESBlock {
        let high = UInt64(bigEndian: storage.0)
        let low = UInt64(bigEndian: storage.1)
        let newHigh = high << 1 | low >> 63
        let newLow = low << 1 ^ (high >> 63 == 1 ? 0x87 : 0)
        return AESBlock(storage: (newHigh.bigEndian, newLow.bigEndian))
    }
}
