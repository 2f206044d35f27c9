/// A 24-bit LoRa Alliance network identifier (LoRaWAN Backend Interfaces 1.0 §13).
///
/// The top three bits are the NetID type, which fixes how many bits of a DevAddr identify the
/// network (NwkID) and how many the device (NwkAddr).
public struct NetID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// - Returns: `nil` when the value does not fit in 24 bits.
    public init?(_ rawValue: UInt32) {
        guard rawValue <= 0xFF_FFFF else { return nil }
        self.rawValue = rawValue
    }

    init(uncheckedRawValue: UInt32) { rawValue = uncheckedRawValue & 0xFF_FFFF }

    public init(parsing text: some StringProtocol) throws(FrameError) {
        guard let bytes = Hex.decode(text.trimmingSpaces, count: 3) else {
            throw .malformedText(field: "NetID", reason: "'\(text)' is not 6 hex digits")
        }
        self.rawValue = UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2])
    }

    /// NetID type 0...7.
    public var type: UInt8 { UInt8(rawValue >> 21) }

    /// The 21-bit ID field below the type bits.
    public var id: UInt32 { rawValue & 0x1F_FFFF }

    /// The NwkID that DevAddrs of this network carry: the low `DevAddrLayout.nwkIDBits` bits of the ID.
    public var nwkID: UInt32 {
        let bits = DevAddr.Layout(netIDType: type).nwkIDBits
        return id & ((1 << bits) - 1)
    }

    /// Three bytes in wire (little-endian) order, as the join-accept carries them.
    public var littleEndianBytes: [UInt8] {
        [UInt8(truncatingIfNeeded: rawValue), UInt8(truncatingIfNeeded: rawValue >> 8), UInt8(truncatingIfNeeded: rawValue >> 16)]
    }

    public var description: String {
        Hex.encode([UInt8(truncatingIfNeeded: rawValue >> 16), UInt8(truncatingIfNeeded: rawValue >> 8), UInt8(truncatingIfNeeded: rawValue)], uppercase: true)
    }
}
