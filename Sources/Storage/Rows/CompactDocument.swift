/// Writes the compact binary documents some columns hold (`ns_sessions.mac_state`, `adr_history`):
/// fixed-width numbers big-endian, counts and small integers as LEB128 varints (zigzag for signed).
///
/// A binary document instead of JSON because the Network Server reads a session on every uplink: a
/// document decodes here in about a microsecond, where Foundation's JSON takes tens.
struct CompactDocumentWriter {
    private(set) var bytes: [UInt8] = []

    init(version: UInt8, reservingCapacity capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
        bytes.append(version)
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// A signed integer as a zigzag varint: small values of either sign take one byte.
    mutating func integer(_ value: Int) {
        let wide = Int64(value)
        varint(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)))
    }

    /// A count or length (never negative).
    mutating func count(_ value: Int) { varint(UInt64(max(0, value))) }

    /// Bytes prefixed with their count.
    mutating func data(_ value: [UInt8]) {
        count(value.count)
        bytes.append(contentsOf: value)
    }

    private mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}

/// Reads what `CompactDocumentWriter` wrote; every failure is `StorageError.malformedRow` naming the
/// column, never a trap, whatever the stored bytes.
struct CompactDocumentReader {
    private let bytes: [UInt8]
    private var position: Int
    let table: String
    let column: String
    /// The document's format version, its first byte.
    let version: UInt8

    init(_ bytes: [UInt8], table: String, column: String) throws(StorageError) {
        guard let version = bytes.first else {
            throw .malformedRow(table: table, column: column, reason: "empty document")
        }
        self.bytes = bytes
        self.table = table
        self.column = column
        self.version = version
        position = 1
    }

    /// A `malformedRow` error for this column.
    func malformed(_ reason: String) -> StorageError {
        .malformedRow(table: table, column: column, reason: reason)
    }

    mutating func byte() throws(StorageError) -> UInt8 {
        guard position < bytes.count else { throw malformed("the document is cut short") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func bool() throws(StorageError) -> Bool {
        switch try byte() {
        case 0: false
        case 1: true
        default: throw malformed("a flag is neither 0 nor 1")
        }
    }

    mutating func uint32() throws(StorageError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 { value = value << 8 | UInt32(try byte()) }
        return value
    }

    mutating func uint64() throws(StorageError) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<8 { value = value << 8 | UInt64(try byte()) }
        return value
    }

    mutating func integer() throws(StorageError) -> Int {
        let zigzag = try varint()
        let value = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
        guard let result = Int(exactly: value) else { throw malformed("an integer does not fit") }
        return result
    }

    /// A count of items that each take at least one byte: never more than the bytes left, so a corrupt
    /// count cannot make the caller reserve memory for billions of items.
    mutating func count() throws(StorageError) -> Int {
        let value = try varint()
        guard value <= UInt64(bytes.count - position) else { throw malformed("a count exceeds the document") }
        return Int(value)
    }

    mutating func data() throws(StorageError) -> [UInt8] {
        let length = try count()
        defer { position += length }
        return Array(bytes[position..<position + length])
    }

    /// Fails when bytes are left over: a document is read whole or not at all.
    func finish() throws(StorageError) {
        guard position == bytes.count else { throw malformed("\(bytes.count - position) unexpected bytes after the document") }
    }

    private mutating func varint() throws(StorageError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64, shift < 63 || next <= 1 else { throw malformed("a number does not fit 64 bits") }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
    }
}
