/// Reads little-endian LoRaWAN fields from a byte buffer, failing with a typed error instead of trapping
/// when the buffer is too short.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset >= end }

    mutating func uint8(_ field: StaticString) throws(FrameError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(field: "\(field)", needed: 1, available: remaining) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint16LE(_ field: StaticString) throws(FrameError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(field: "\(field)", needed: 2, available: remaining) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    mutating func uint24LE(_ field: StaticString) throws(FrameError) -> UInt32 {
        guard remaining >= 3 else { throw .truncated(field: "\(field)", needed: 3, available: remaining) }
        defer { offset += 3 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
    }

    mutating func uint32LE(_ field: StaticString) throws(FrameError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(field: "\(field)", needed: 4, available: remaining) }
        defer { offset += 4 }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    mutating func uint64LE(_ field: StaticString) throws(FrameError) -> UInt64 {
        guard remaining >= 8 else { throw .truncated(field: "\(field)", needed: 8, available: remaining) }
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return value
    }

    mutating func bytes(_ count: Int, _ field: StaticString) throws(FrameError) -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw .truncated(field: "\(field)", needed: count, available: remaining)
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func rest() -> [UInt8] {
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// Appends little-endian LoRaWAN fields to a byte array.
extension Array where Element == UInt8 {
    mutating func appendLE(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendLE24(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value >> 16))
    }

    mutating func appendLE(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendLE(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
