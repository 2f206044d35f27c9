import PropertyBased
import StrictJSON
import Testing

/// The strict parser: exact integers, refusals instead of guesses, a depth each caller chooses.
@Suite("Strict JSON parser")
struct JSONParserTests {
    static func parse(_ text: String, maximumDepth: Int = 32) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maximumDepth: maximumDepth)
    }

    /// The error for `text`, or `nil` when it parses.
    static func error(_ text: String, maximumDepth: Int = 32) -> JSONSyntaxError? {
        do {
            _ = try parse(text, maximumDepth: maximumDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test("integers stay exact at 64 bits; larger ones are kept as text, never rounded")
    func integers() throws {
        #expect(try Self.parse("45035996546115715") == .integer(45_035_996_546_115_715))
        #expect(try Self.parse("9223372036854775807") == .integer(.max))
        #expect(try Self.parse("-9223372036854775808") == .integer(.min))
        #expect(try Self.parse("9223372036854775808") == .largeInteger("9223372036854775808"))
        #expect(try Self.parse("-0") == .integer(0))
        #expect(try Self.parse("-9223372036854775809") == .largeInteger("-9223372036854775809"))
        #expect(try Self.parse("18446744073709551616") == .largeInteger("18446744073709551616"))
        let digits = String(repeating: "9", count: 30_000)
        #expect(try Self.parse(digits) == .largeInteger(digits))
        #expect(throws: JSONSyntaxError.self) { try Self.parse("00") }
    }

    @Test("fractions and exponents are floats, even when whole; huge exponents round instead of failing")
    func floats() throws {
        #expect(try Self.parse("16.0") == .float(16))
        #expect(try Self.parse("1e7") == .float(10_000_000))
        #expect(try Self.parse("1795262442.98") == .float(1_795_262_442.98))
        #expect(try Self.parse("-2.5E-3") == .float(-0.0025))
        #expect(try Self.parse("1e999") == .float(.infinity))
        #expect(try Self.parse("1e-99999") == .float(0))
        #expect(try Self.parse("1e" + String(repeating: "9", count: 30_000)) == .float(.infinity))
    }

    @Test("strings decode escapes and surrogate pairs")
    func strings() throws {
        #expect(try Self.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try Self.parse("\"\u{e9}\"") == .string("é"))
        #expect(try Self.parse(#""\b\f\r""#) == .string("\u{08}\u{0C}\r"))
    }

    @Test("invalid UTF-8, inside or outside escapes, is refused")
    func invalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22], maximumDepth: 32) }
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0x5C, 0x6E, 0xC0, 0x80, 0x22], maximumDepth: 32) }
    }

    @Test("a repeated member name is refused in small and in large objects, naming the member where it repeats")
    func duplicates() throws {
        let error = Self.error(#"{"txtime":1,"txtime":2}"#)
        #expect(error == JSONSyntaxError(offset: 12, reason: #"the member "txtime" appears twice"#))
        let many = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect((try? Self.parse("{\(many)}")) != nil)
        #expect(Self.error("{\(many),\"k7\":0}")?.reason.contains("k7") == true)
        #expect(Self.error("{\(many),\"k99\":0}") != nil)
        // The same name in different objects is no repetition.
        #expect((try? Self.parse(#"{"a":{"a":1},"b":{"a":2}}"#)) != nil)
    }

    @Test("a long repeated name is quoted only in part")
    func duplicateNamesAreCut() throws {
        let name = String(repeating: "n", count: 5000)
        let reason = try #require(Self.error("{\"\(name)\":1,\"\(name)\":2}")).reason
        #expect(reason.count < 80)
    }

    @Test("what a lenient parser would guess about is refused")
    func malformed() {
        for bad in ["", " ", "{", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}",
                    "{\"a\":1e}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\u{01}\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}",
                    "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}",
                    "{\"a\":1}}", "{'a':1}", "{a:1}", "[1 2]", "\"open", "+1", ".5", "NaN", "Infinity", "1 2"] {
            #expect(Self.error(bad) != nil, "\(bad)")
        }
    }

    @Test("an error says where the text broke")
    func offsets() {
        #expect(Self.error(#"{"a":1,}"#)?.offset == 7)
        #expect(Self.error("[1] x") == JSONSyntaxError(offset: 4, reason: "unexpected data after the JSON value"))
        #expect(Self.error("[1,") == JSONSyntaxError(offset: 3, reason: "the text ends where a value was expected"))
        #expect(Self.error(#"{"a":1"#)?.reason == "the text ends where ',' or '}' in an object was expected")
    }

    @Test("white space around and between tokens is allowed")
    func whitespace() throws {
        #expect(try Self.parse(" \t\r\n{ \"a\" : [ 1 , { } , [ ] ] }\n") == .object(JSONObject([.init("a", .array([.integer(1), .object(JSONObject()), .array([])]))])))
    }

    @Test("nesting is limited by each call: a caller's limit is accepted exactly, one more level refused")
    func depthPerCall() throws {
        let three = "[[{\"a\":1}]]"
        #expect(try Self.parse(three, maximumDepth: 3) == .array([.array([.object(JSONObject([.init("a", .integer(1))]))])]))
        #expect(Self.error(three, maximumDepth: 2)?.reason == "nested deeper than 2 levels")
        let forty = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(Self.error(forty, maximumDepth: 32)?.reason.contains("nested") == true)
        #expect((try? Self.parse(forty, maximumDepth: 40)) != nil)
        #expect(Self.error("1", maximumDepth: 0) == nil)
        #expect(Self.error("[]", maximumDepth: 0) != nil)
        #expect(Self.error("[]", maximumDepth: -5) != nil)
    }

    @Test("hostile nesting ends in an error, never a stack overflow, whatever limit a caller asks for")
    func depthCeiling() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Self.error(deep, maximumDepth: .max)?.reason == "nested deeper than \(JSONParser.depthCeiling) levels")
        #expect(Self.error(String(repeating: #"{"a":"#, count: 10_000), maximumDepth: 32) != nil)
    }

    @Test("objects record their path so that field readers can name nested fields")
    func paths() throws {
        guard case .object(let root) = try Self.parse(#"{"upinfo":{"x":1},"DRs":[[1],{"conf":{}}]}"#),
            case .object(let upinfo)? = root["upinfo"],
            case .array(let rates)? = root["DRs"], rates.count == 2,
            case .object(let second) = rates[1],
            case .object(let conf)? = second["conf"]
        else {
            Issue.record("unexpected shape")
            return
        }
        #expect(root.path == "")
        #expect(upinfo.path == "upinfo")
        #expect(second.path == "DRs[1]")
        #expect(conf.path == "DRs[1].conf")
    }

    /// Bytes JSON is made of, so random strings get past the first character often.
    static let alphabet = Array(#"{}[]:,"\ 0123456789-+.eEtrufalsnu"#.utf8) + [0x00, 0x0A, 0x7F, 0x80, 0xC3, 0xED, 0xFF]

    @Test("random byte strings end in a value or an error, never a trap")
    func randomBytes() async {
        await propertyCheck(count: 5000, input: Gen<UInt8?>.element(of: Self.alphabet).array(of: 0...200)) { optionalBytes in
            let bytes = optionalBytes.compactMap { $0 }
            if let value = try? JSONParser.parse(bytes, maximumDepth: 8) {
                // Whatever parses writes back to text that parses to the same value.
                #expect((try? JSONParser.parse(value.serialized, maximumDepth: 8)) == value)
            }
        }
    }
}
