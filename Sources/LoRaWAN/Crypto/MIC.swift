/// A 4-byte message integrity code as it sits on the wire.
///
/// `rawValue` reads the four wire bytes little-endian, which is how Basics Station prints a MIC (as a
/// signed 32-bit integer of the same bits).
public struct MIC: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// The MIC from its four wire bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 else { return nil }
        rawValue = bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    @inlinable
    init(firstFourBytesOf block: AESBlock) {
        rawValue = UInt32(truncatingIfNeeded: UInt64(littleEndian: block.storage.0))
    }

    public var bytes: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: rawValue >> (8 * UInt32($0))) } }

    /// The wire bytes in hex, as tools and test vectors print MICs.
    public var description: String { Hex.encode(bytes) }
}

/// Which way a data frame travels; the `Dir` byte of the B0 and A blocks.
public enum Direction: UInt8, Sendable, CustomStringConvertible {
    case uplink = 0
    case downlink = 1

    public var description: String { self == .uplink ? "uplink" : "downlink" }
}
