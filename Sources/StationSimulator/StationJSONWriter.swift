import LoRaWAN

/// Writes the station's JSON messages byte by byte into one buffer: the uplink path runs thousands of
/// times a second in a load test, so there is no dictionary, no `JSONEncoder` and no intermediate
/// string per field. Only the simulator's own messages go through here, so names are written as given
/// and strings are escaped minimally.
struct StationJSONWriter {
    private(set) var bytes: [UInt8]
    private var needsComma = false

    init(capacity: Int = 384) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// `"name":` — the caller writes the value next.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ name: StaticString, _ value: StaticString) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0..<0x20:
                // Control characters never occur in what the simulator writes; drop rather than break the JSON.
                continue
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    mutating func null(_ name: StaticString) {
        key(name)
        "null".utf8.forEach { bytes.append($0) }
        needsComma = true
    }

    mutating func integer(_ name: StaticString, _ value: Int64) {
        key(name)
        writeInteger(value)
        needsComma = true
    }

    /// A number with `decimals` digits after the point (seconds with µs: `1795262489.726412`); with
    /// `trimmed`, trailing zeros and a bare point go (`9.5`, `9`), as the station prints SNR.
    mutating func fixed(_ name: StaticString, _ value: Double, decimals: Int, trimmed: Bool = false) {
        key(name)
        guard value.isFinite else {
            bytes.append(UInt8(ascii: "0"))
            needsComma = true
            return
        }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        if value < 0 && scaled != 0 { bytes.append(UInt8(ascii: "-")) }
        writeInteger(scaled / scale)
        if decimals > 0 {
            bytes.append(UInt8(ascii: "."))
            let start = bytes.count
            for _ in 0..<decimals { bytes.append(UInt8(ascii: "0")) }
            var fraction = scaled % scale
            for index in stride(from: bytes.count - 1, through: start, by: -1) {
                bytes[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
            }
            if trimmed {
                while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
                if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
            }
        }
        needsComma = true
    }

    /// Upper-case hex of `value` in a JSON string (FOpts, FRMPayload, as the station prints them).
    mutating func hex(_ name: StaticString, _ value: ArraySlice<UInt8>) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        for byte in value {
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// `"XX-XX-XX-XX-XX-XX-XX-XX"`, the station's form of DevEui and JoinEui.
    mutating func dashedEUI(_ name: StaticString, _ eui: EUI64) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        for index in 0..<8 {
            if index > 0 { bytes.append(UInt8(ascii: "-")) }
            let byte = UInt8(truncatingIfNeeded: eui.rawValue >> (56 - 8 * UInt64(index)))
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func writeInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        guard magnitude != 0 else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        let start = bytes.count
        while magnitude > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        bytes[start...].reverse()
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
