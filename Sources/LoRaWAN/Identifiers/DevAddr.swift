/// A 32-bit device address: a prefix naming the NetID type, the NwkID of the network, and the
/// NwkAddr of the device inside it (LoRaWAN Backend Interfaces 1.0 §13, Table 3).
public struct DevAddr: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    public init(parsing text: some StringProtocol) throws(FrameError) {
        guard let bytes = Hex.decode(text.trimmingSpaces, count: 4) else {
            throw .malformedText(field: "DevAddr", reason: "'\(text)' is not 8 hex digits")
        }
        self.init(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    /// Builds the DevAddr that `netID` assigns to device number `nwkAddr` (only its low bits are used).
    public init(netID: NetID, nwkAddr: UInt32) {
        let layout = Layout(netIDType: netID.type)
        let prefix: UInt32 = layout.prefixBits == 0 ? 0 : ~UInt32(0) << (32 - UInt32(layout.prefixBits))
        let nwkID = netID.nwkID & ((1 << layout.nwkIDBits) - 1)
        let addr = nwkAddr & ((1 << layout.nwkAddrBits) - 1)
        self.init(prefix | nwkID << layout.nwkAddrBits | addr)
    }

    /// Where the type prefix, NwkID and NwkAddr sit for one NetID type.
    public struct Layout: Sendable, Equatable {
        /// Leading one-bits of the prefix (the prefix is that many ones and a zero).
        public let prefixBits: Int
        public let nwkIDBits: UInt32
        public let nwkAddrBits: UInt32

        init(netIDType: UInt8) {
            prefixBits = Int(netIDType)
            nwkIDBits = [6, 6, 9, 11, 12, 13, 15, 17][Int(netIDType & 7)]
            nwkAddrBits = 32 - UInt32(netIDType) - 1 - nwkIDBits
        }
    }

    /// The NetID type this address's prefix names (the count of leading one-bits), or `nil` for the
    /// all-ones prefix no type uses.
    public var netIDType: UInt8? {
        let ones = (~rawValue).leadingZeroBitCount
        return ones <= 7 ? UInt8(ones) : nil
    }

    /// The network part, which must match the NwkID of the network's NetID.
    public var nwkID: UInt32? {
        guard let type = netIDType else { return nil }
        let layout = Layout(netIDType: type)
        return rawValue >> layout.nwkAddrBits & ((1 << layout.nwkIDBits) - 1)
    }

    /// The device part inside the network.
    public var nwkAddr: UInt32? {
        guard let type = netIDType else { return nil }
        return rawValue & ((1 << Layout(netIDType: type).nwkAddrBits) - 1)
    }

    /// Whether this address belongs to `netID`'s address block.
    public func belongs(to netID: NetID) -> Bool {
        netIDType == netID.type && nwkID == netID.nwkID
    }

    public var littleEndianBytes: [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: rawValue >> (8 * UInt32($0))) } }

    public var description: String {
        Hex.encode((0..<4).map { UInt8(truncatingIfNeeded: rawValue >> (24 - 8 * UInt32($0))) }, uppercase: true)
    }
}
