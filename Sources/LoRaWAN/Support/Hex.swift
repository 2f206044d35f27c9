/// Hexadecimal text for byte strings, as LoRaWAN tools print keys, EUIs and frames.
public enum Hex {
    /// Decodes hex digits (either case). Separators `-`, `:`, `_` and spaces are ignored, and a
    /// leading `0x` is stripped, because operators paste EUIs and keys in every common form.
    /// Returns `nil` for any other character or an odd number of digits.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var utf8 = Substring(text).utf8[...]
        if utf8.starts(with: "0x".utf8) || utf8.starts(with: "0X".utf8) { utf8 = utf8.dropFirst(2) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var high: UInt8?
        for character in utf8 {
            if character == UInt8(ascii: "-") || character == UInt8(ascii: ":")
                || character == UInt8(ascii: "_") || character == UInt8(ascii: " ")
            {
                continue
            }
            guard let nibble = nibble(character) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }

    /// Decodes exactly `count` bytes of hex, else `nil`.
    public static func decode(_ text: some StringProtocol, count: Int) -> [UInt8]? {
        guard let bytes = decode(text), bytes.count == count else { return nil }
        return bytes
    }

    /// Encodes bytes as hex without separators.
    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        let digits: StaticString = uppercase ? "0123456789ABCDEF" : "0123456789abcdef"
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        digits.withUTF8Buffer { table in
            for byte in bytes {
                out.append(table[Int(byte >> 4)])
                out.append(table[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
