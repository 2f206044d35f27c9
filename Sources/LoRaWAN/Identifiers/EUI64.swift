/// An IEEE EUI-64: a gateway EUI, a DevEUI or a JoinEUI.
///
/// Stored as the big-endian "display" number (`0016C001FF10A235`); on the LoRaWAN wire it travels
/// little-endian, which `littleEndianBytes` gives.
public struct EUI64: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses 16 hex digits with or without common separators (`-`, `:`, `_`, space, `0x`), or the ID6
    /// form that LoRa Basics Station sends (`16:c001:ff10:a235`, `::1`).
    public init(parsing text: some StringProtocol) throws(FrameError) {
        let trimmed = text.trimmingSpaces
        if Self.looksLikeID6(trimmed) {
            self.init(try Self.parseID6(trimmed))
            return
        }
        guard let bytes = Hex.decode(trimmed) else {
            throw .malformedText(field: "EUI-64", reason: "'\(trimmed)' is not hexadecimal")
        }
        guard bytes.count == 8 else {
            throw .malformedText(field: "EUI-64", reason: "'\(trimmed)' has \(bytes.count * 2) hex digits, expected 16")
        }
        self.init(bigEndianBytes: bytes)
    }

    /// Parses an EUI-64 or a MAC-48 (12 hex digits), which becomes an EUI-64 by inserting `FFFE`
    /// in the middle (IEEE's MAC-48 to EUI-64 mapping, as gateway vendors print their EUIs).
    public init(parsingEUIOrMAC text: some StringProtocol) throws(FrameError) {
        let trimmed = text.trimmingSpaces
        if !Self.looksLikeID6(trimmed), let bytes = Hex.decode(trimmed), bytes.count == 6 {
            self.init(mac48: bytes)
            return
        }
        try self.init(parsing: trimmed)
    }

    /// Builds an EUI-64 from a MAC-48 by inserting `FF FE` between the OUI and the device part.
    /// - Precondition: `mac48` holds 6 bytes; callers that handle input use `init(parsingEUIOrMAC:)`.
    public init(mac48: [UInt8]) {
        precondition(mac48.count == 6, "a MAC-48 has 6 bytes")
        self.init(bigEndianBytes: Array(mac48[0..<3]) + [0xFF, 0xFE] + Array(mac48[3..<6]))
    }

    /// Builds an EUI from 8 bytes in display (big-endian) order.
    public init(bigEndianBytes bytes: some Collection<UInt8>) {
        precondition(bytes.count == 8, "an EUI-64 has 8 bytes")
        self.init(bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// Builds an EUI from 8 bytes in wire (little-endian) order.
    public init(littleEndianBytes bytes: some Collection<UInt8>) {
        self.init(bigEndianBytes: bytes.reversed())
    }

    public var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: rawValue >> (56 - 8 * UInt64($0))) } }
    public var littleEndianBytes: [UInt8] { bigEndianBytes.reversed() }

    /// 16 upper-case hex digits, the form Gatehouse uses in certificate CNs and APIs.
    public var description: String { Hex.encode(bigEndianBytes, uppercase: true) }

    /// `XX-XX-XX-XX-XX-XX-XX-XX`, the form Basics Station uses for DevEui and JoinEui.
    public var dashed: String { bigEndianBytes.map { Hex.encode([$0], uppercase: true) }.joined(separator: "-") }

    /// The ID6 text Basics Station uses for router EUIs: four 16-bit groups in lower-case hex without
    /// leading zeros, with the compressions the station itself applies.
    public var id6: String {
        let g = (0..<4).map { UInt16(truncatingIfNeeded: rawValue >> (48 - 16 * UInt64($0))) }
        func h(_ v: UInt16) -> String { String(v, radix: 16) }
        if g[0] == 0 && g[1] == 0 { return g[2] == 0 ? "::\(h(g[3]))" : "::\(h(g[2])):\(h(g[3]))" }
        if g[2] == 0 && g[3] == 0 { return g[1] == 0 ? "\(h(g[0]))::" : "\(h(g[0])):\(h(g[1]))::" }
        if g[1] == 0 && g[2] == 0 { return "\(h(g[0]))::\(h(g[3]))" }
        return g.map(h).joined(separator: ":")
    }

    public static func < (lhs: EUI64, rhs: EUI64) -> Bool { lhs.rawValue < rhs.rawValue }

    /// ID6 uses `::` or 16-bit groups; a colon-separated EUI-64 (MAC-48) has eight (six) 2-digit groups.
    private static func looksLikeID6(_ text: Substring) -> Bool {
        guard text.contains(":") else { return false }
        if text.contains("::") { return true }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        return !((groups.count == 8 || groups.count == 6) && groups.allSatisfy { $0.count == 2 })
    }

    private static func parseID6(_ text: Substring) throws(FrameError) -> UInt64 {
        func group(_ part: Substring) throws(FrameError) -> UInt64 {
            guard (1...4).contains(part.count), let value = UInt16(part, radix: 16) else {
                throw .malformedText(field: "EUI-64 (ID6)", reason: "'\(text)' has an invalid group '\(part)'")
            }
            return UInt64(value)
        }
        let halves = text.split(separator: "::", maxSplits: 1, omittingEmptySubsequences: false)
        let head = halves[0].isEmpty ? [] : halves[0].split(separator: ":", omittingEmptySubsequences: false)
        let tail = halves.count == 2 && !halves[1].isEmpty ? halves[1].split(separator: ":", omittingEmptySubsequences: false) : []
        let total = head.count + tail.count
        guard halves.count == 2 ? total < 4 : total == 4, !halves[0].hasSuffix(":") else {
            throw .malformedText(field: "EUI-64 (ID6)", reason: "'\(text)' does not have four 16-bit groups")
        }
        var groups: [UInt64] = []
        for part in head { groups.append(try group(part)) }
        groups += Array(repeating: 0, count: 4 - total)
        for part in tail { groups.append(try group(part)) }
        return groups.reduce(0) { $0 << 16 | $1 }
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        let s = Substring(self)
        guard let first = s.firstIndex(where: { !$0.isWhitespace }),
            let last = s.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return s[first...last]
    }
}
