/// Why bytes are not the JSON text of a message: where it went wrong and what was expected.
struct BackendJSONSyntaxError: Error, Sendable, CustomStringConvertible {
    var offset: Int
    var reason: String

    var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A strict RFC 8259 parser for Backend Interfaces bodies.
///
/// It never traps and runs in time linear in the input: nesting is limited to ``maximumDepth`` (the
/// deepest known member, The Things Stack's `VSExtension`, nests three levels; the limit keeps
/// `[[[[…` from exhausting the stack), strings are validated as UTF-8 where they lie, member names are indexed by hashing, and a
/// number is read digit by digit with overflow checks. It refuses what a lenient parser would guess
/// about: duplicate member names, invalid UTF-8, unescaped control characters and lone surrogates.
struct BackendJSONParser {
    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    /// Parses one JSON value that fills `bytes` (white space around it allowed).
    static func parse(_ bytes: [UInt8]) throws(BackendJSONSyntaxError) -> BackendJSON {
        var parser = BackendJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected data after the JSON value") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func failure(_ reason: String) -> BackendJSONSyntaxError { BackendJSONSyntaxError(offset: index, reason: reason) }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(BackendJSONSyntaxError) {
        guard current == byte else { throw failure(current == nil ? "the text ends where \(what) was expected" : "expected \(what)") }
        index += 1
    }

    private mutating func parseValue() throws(BackendJSONSyntaxError) -> BackendJSON {
        guard let byte = current else { throw failure("the text ends where a value was expected") }
        switch byte {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func parseLiteral(_ literal: StaticString) throws(BackendJSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw failure("the text ends inside a literal") }
        let matches = literal.withUTF8Buffer { expected in (0..<count).allSatisfy { bytes[index + $0] == expected[$0] } }
        guard matches else { throw failure("unknown literal") }
        index += count
    }

    private mutating func enterContainer() throws(BackendJSONSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        index += 1  // the opening bracket
        skipWhitespace()
    }

    private mutating func parseObject() throws(BackendJSONSyntaxError) -> BackendJSONObject {
        try enterContainer()
        var object = BackendJSONObject()
        if current == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return object
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw failure("expected a member name in quotes") }
            let nameOffset = index
            let name = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a member name")
            skipWhitespace()
            guard object.append(name, try parseValue()) else {
                throw BackendJSONSyntaxError(offset: nameOffset, reason: "a member name appears twice")
            }
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "}"), "',' or '}' in an object")
            depth -= 1
            return object
        }
    }

    private mutating func parseArray() throws(BackendJSONSyntaxError) -> [BackendJSON] {
        try enterContainer()
        var elements: [BackendJSON] = []
        if current == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            if current == UInt8(ascii: ",") {
                index += 1
                continue
            }
            try expect(UInt8(ascii: "]"), "',' or ']' in an array")
            depth -= 1
            return elements
        }
    }

    private mutating func parseString() throws(BackendJSONSyntaxError) -> String {
        index += 1  // the opening quote
        var unescaped: [UInt8] = []
        var escaped = false
        var start = index
        while true {
            guard let byte = current else { throw failure("the text ends inside a string") }
            switch byte {
            case UInt8(ascii: "\""):
                defer { index += 1 }
                // Most strings (hex, names) have no escapes: validate the bytes where they lie.
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

    private mutating func parseEscape(into output: inout [UInt8]) throws(BackendJSONSyntaxError) {
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

    private mutating func parseHex4() throws(BackendJSONSyntaxError) -> UInt16 {
        guard bytes.count - index >= 4 else { throw failure("the text ends inside a \\u escape") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = BackendWireHex.nibble(bytes[index]) else { throw failure("a \\u escape needs four hex digits") }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() throws(BackendJSONSyntaxError) -> BackendJSON {
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
        return .otherNumber(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    /// The value of an integer lexeme (`-?[0-9]+`), or `nil` when it does not fit in `Int64`.
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
}
