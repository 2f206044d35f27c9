import LoRaWAN

/// Hex as byte fields travel in Backend Interfaces JSON (reference §2, "Encoding rules").
///
/// Stricter than `Hex.decode`, which also skips the separators operators paste: on the wire every
/// implementation writes bare digits, so a separator means a broken peer, not a typing habit. What
/// all three implementations do accept is kept: either case and a leading `0x`.
enum BackendWireHex {
    /// The bytes of `text`: an optional `0x`/`0X`, then an even number of hex digits; `nil` otherwise.
    static func decode(_ text: String) -> [UInt8]? {
        var digits = text.utf8[...]
        if digits.starts(with: "0x".utf8) || digits.starts(with: "0X".utf8) { digits = digits.dropFirst(2) }
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for character in digits {
            guard let value = nibble(character) else { return nil }
            if let h = high {
                bytes.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }

    /// Upper case, as The Things Stack writes (reference §2).
    static func encode(_ bytes: [UInt8]) -> String { Hex.encode(bytes, uppercase: true) }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
