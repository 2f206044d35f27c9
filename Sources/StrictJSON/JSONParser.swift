/// A strict RFC 8259 parser with no I/O, for messages from peers we do not trust.
///
/// It refuses what a lenient parser would guess about, since two readers guessing differently is how
/// a message means one thing to a peer and another to us: duplicate member names, invalid UTF-8,
/// unescaped control characters, lone surrogates, leading zeros, trailing commas, and data after the
/// value. It never traps and runs in time linear in the input: nesting is bounded by the caller's
/// `maximumDepth` (recursion stops there, so a hostile `[[[[…` cannot exhaust the stack), strings are
/// validated as UTF-8 where they lie, large objects index their names, and numbers are read digit by
/// digit with overflow checks. Every failure is a ``JSONSyntaxError``.
///
/// Size limits are the caller's: each protocol refuses an oversized message with its own error
/// before parsing it.
public struct JSONParser {
    /// The deepest nesting any call may ask for. A limit is a promise that input cannot exhaust the
    /// stack, so it holds even when a caller asks for more; protocol messages nest a few levels.
    public static let depthCeiling = 128

    private let bytes: [UInt8]
    private let maximumDepth: Int
    private var index = 0
    private var depth = 0

    /// Parses the one JSON value that fills `bytes` (white space around it allowed).
    ///
    /// - Parameter maximumDepth: how many arrays and objects may nest; deeper input fails. Each
    ///   protocol passes its own (its messages' depth and room to grow); at most ``depthCeiling``.
    public static func parse(_ bytes: [UInt8], maximumDepth: Int) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maximumDepth: min(maximumDepth, depthCeiling))
        parser.skipWhitespace()
        let value = try parser.parseValue(at: .root)
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
        return value
    }

    private init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private func failure(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: index, reason: reason) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        guard current == byte else { throw failure(current == nil ? "the text ends where \(what) was expected" : "expected \(what)") }
        index += 1
    }

    /// Where a value sits, turned into a path (`upinfo`, `DRs[3]`) only for objects, which keep it.
    private enum Position {
        case root
        case member(parent: String, name: String)
        case element(parent: String, index: Int)

        var path: String {
            switch self {
            case .root: ""
            case .member(let parent, let name): parent.isEmpty ? name : "\(parent).\(name)"
            case .element(let parent, let index): "\(parent)[\(index)]"
            }
        }
    }

    private mutating func parseValue(at position: Position) throws(JSONSyntaxError) -> JSONValue {
        guard let byte = current else { throw failure("the text ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject(path: position.path))
        case UInt8(ascii: "["): return .array(try parseArray(path: position.path))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func parseLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("the text ends inside a literal") }
        let matches = literal.withUTF8Buffer { expected in (0..<count).allSatisfy { bytes[index + $0] == expected[$0] } }
        guard matches else { throw failure("unknown literal") }
        index += count
    }

    /// Counts one more level and steps over the opening bracket and the white space after it.
    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= maximumDepth else { throw failure("nested deeper than \(maximumDepth) levels") }
        index += 1
        skipWhitespace()
    }

    /// Right after ``enterContainer()``: steps out over `closing` when the container is empty.
    private mutating func leavesEmptyContainer(closing: UInt8) -> Bool {
        guard current == closing else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After a member or an element: `true` over a comma (another follows), `false` over `closing`.
    private mutating func continuesContainer(closing: UInt8, _ what: String) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        if current == UInt8(ascii: ",") {
            index += 1
            return true
        }
        try expect(closing, what)
        depth -= 1
        return false
    }

    private mutating func parseObject(path: String) throws(JSONSyntaxError) -> JSONObject {
        try enterContainer()
        var object = JSONObject(path: path)
        if leavesEmptyContainer(closing: UInt8(ascii: "}")) { return object }
        repeat {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let nameOffset = index
            let name = try parseString()
            // Refused before its value is read: a repeated name is the error, whatever follows it.
            guard !object.contains(name) else {
                throw JSONSyntaxError(offset: nameOffset, reason: "the member \"\(Self.excerpt(name))\" appears twice")
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a member name")
            skipWhitespace()
            object.appendNew(name, try parseValue(at: .member(parent: path, name: name)))
        } while try continuesContainer(closing: UInt8(ascii: "}"), "',' or '}' in an object")
        return object
    }

    private mutating func parseArray(path: String) throws(JSONSyntaxError) -> [JSONValue] {
        try enterContainer()
        var elements: [JSONValue] = []
        if leavesEmptyContainer(closing: UInt8(ascii: "]")) { return elements }
        repeat {
            skipWhitespace()
            elements.append(try parseValue(at: .element(parent: path, index: elements.count)))
        } while try continuesContainer(closing: UInt8(ascii: "]"), "',' or ']' in an array")
        return elements
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // the opening quote
        var unescaped: [UInt8] = []
        var escaped = false
        var start = index
        while true {
            guard let byte = current else { throw failure("the text ends inside a string") }
            switch byte {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                // Most protocol strings (hex, names, versions) have no escapes: validate them where they lie.
                if !escaped {
                    guard let text = String(validating: bytes[start..<index], as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                    return text
                }
                unescaped.append(contentsOf: bytes[start..<index])
                guard let text = String(validating: unescaped, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                escaped = true
                unescaped.append(contentsOf: bytes[start..<index])
                index += 1
                try parseEscape(into: &unescaped)
                start = index
            case 0x00..<0x20:
                throw failure("a control character must be escaped in a string")
            default:
                index += 1
            }
        }
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws(JSONSyntaxError) {
        guard let byte = current else { throw failure("the text ends inside an escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try parseHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate (RFC 8259 §7).
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("a high surrogate without its low surrogate")
                }
                index += 2
                let low = UInt32(try parseHex4())
                guard (0xDC00..<0xE000).contains(low) else { throw failure("a high surrogate without its low surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("a low surrogate without its high surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("an invalid \\u escape") }
            UTF8.encode(unicode) { output.append($0) }
        default:
            throw failure("an unknown escape")
        }
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt16 {
        guard bytes.count - index >= 4 else { throw failure("the text ends inside a \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = Self.hexDigit(bytes[index]) else { throw failure("a \\u escape needs four hex digits") }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        var isInteger = true
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, Self.isDigit(first) else { throw failure("a number needs digits") }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let digit = current, Self.isDigit(digit) else { throw failure("a fraction needs digits") }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, Self.isDigit(digit) else { throw failure("an exponent needs digits") }
            skipDigits()
        }
        if isInteger, let value = Self.int64(bytes[start..<index]) { return .integer(value) }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger { return .largeInteger(text) }
        // `Double` reads every RFC 8259 number, rounding to infinity or zero rather than failing, in
        // time linear in its length; the guard only keeps this from trapping if that ever changed.
        guard let value = Double(text) else { throw JSONSyntaxError(offset: start, reason: "an unreadable number") }
        return .float(value)
    }

    /// The value of an integer lexeme (`-?[0-9]+`), or `nil` when it does not fit in `Int64`; read
    /// from the bytes directly because a station uplink carries a dozen integers.
    private static func int64(_ lexeme: ArraySlice<UInt8>) -> Int64? {
        let negative = lexeme.first == UInt8(ascii: "-")
        var magnitude: UInt64 = 0
        for byte in lexeme.dropFirst(negative ? 1 : 0) {
            let (times10, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            magnitude = sum
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        return Int64(exactly: magnitude)
    }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// At most 32 characters of untrusted text, marked when cut: an error names a member without
    /// letting a hostile peer write kilobytes into our logs.
    private static func excerpt(_ text: String, limit: Int = 32) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }
}
