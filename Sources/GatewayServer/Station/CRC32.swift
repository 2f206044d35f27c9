/// CRC-32 as IEEE 802.3 and zlib's `crc32` define it (reflected polynomial 0xEDB88320, initial value
/// and final XOR 0xFFFFFFFF). Basics Station reports the CRC-32 of its credential files in CUPS
/// requests (`cupsCredCrc`, `tcCredCrc`), and CUPS compares it with the CRC-32 of what it would send.
public struct CRC32: Sendable, Equatable {
    /// The running register, before the final XOR.
    private var register: UInt32 = 0xFFFF_FFFF

    /// A CRC over no bytes yet.
    public init() {}

    /// Feeds more bytes; `update(a); update(b)` equals one update with `a + b`.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        var crc = register
        for byte in bytes {
            crc = Self.table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
        }
        register = crc
    }

    /// The CRC-32 of everything fed so far.
    public var value: UInt32 { ~register }

    /// The CRC-32 of `bytes`, equal to `zlib.crc32(bytes)`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// One entry per byte value: the register change that byte causes (Sarwate's table method).
    private static let table: [UInt32] = (0...255).map { index in
        var entry = UInt32(index)
        for _ in 0..<8 {
            entry = entry & 1 == 1 ? (entry >> 1) ^ 0xEDB8_8320 : entry >> 1
        }
        return entry
    }
}
