import GatewayServer
import PropertyBased
import Testing

/// Station JSON: exact integers, strict parsing, deterministic writing.
@Suite("Station JSON")
struct StationJSONTests {
    static func parse(_ text: String) throws -> StationJSON {
        try StationJSONParser.parse(Array(text.utf8))
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
        #expect(throws: StationProtocolError.self) { try Self.parse("00") }
    }

    @Test("a repeated member name is refused in small and in large objects")
    func duplicates() {
        #expect(throws: StationProtocolError.self) { try Self.parse(#"{"a":1,"a":1}"#) }
        let many = (0..<100).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect((try? Self.parse("{\(many)}")) != nil)
        #expect(throws: StationProtocolError.self) { try Self.parse("{\(many),\"k7\":0}") }
        #expect(throws: StationProtocolError.self) { try Self.parse("{\(many),\"k99\":0}") }
    }

    @Test("fractions and exponents are floats, even when whole")
    func floats() throws {
        #expect(try Self.parse("16.0") == .float(16))
        #expect(try Self.parse("1e7") == .float(10_000_000))
        #expect(try Self.parse("1795262442.98") == .float(1_795_262_442.98))
        #expect(try Self.parse("-2.5E-3") == .float(-0.0025))
    }

    @Test("strings decode escapes and surrogate pairs")
    func strings() throws {
        #expect(try Self.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try Self.parse("\"\u{e9}\"") == .string("é"))
    }

    @Test("invalid UTF-8 in a string is refused")
    func invalidUTF8() {
        #expect(throws: StationProtocolError.self) { try StationJSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test("objects compare as JSON does: by names and values, in any order")
    func objectEquality() throws {
        #expect(try Self.parse(#"{"a":1,"b":[true,null]}"#) == Self.parse(#" { "b" : [ true , null ] , "a" : 1 } "#))
        #expect(try Self.parse(#"{"a":1}"#) != Self.parse(#"{"a":1.0}"#))
        #expect(try Self.parse(#"{"a":1}"#) != Self.parse(#"{"a":1,"b":2}"#))
    }

    @Test("writing: integers as integers, floats with a fraction, control characters escaped")
    func writing() {
        var object = StationJSONObject()
        object.append("i", .integer(10_000_000))
        object.append("big", .integer(45_035_996_546_115_715))
        object.append("f", .float(16))
        object.append("t", .float(1_795_262_442.98))
        object.append("s", .string("q\"\\\n\u{01}é"))
        object.append("n", .null)
        object.append("a", .array([.bool(true), .bool(false)]))
        let text = String(decoding: StationJSON.object(object).serialized, as: UTF8.self)
        #expect(text == #"{"i":10000000,"big":45035996546115715,"f":16.0,"t":1795262442.98,"s":"q\"\\\n\u0001é","n":null,"a":[true,false]}"#)
    }

    @Test("a written value parses back to itself")
    func roundTrip() async {
        let gen = zip(Gen.int64(), Gen.uint8().array(of: 0...40), Gen.int(in: -1_000_000...1_000_000), Gen.bool)
        await propertyCheck(count: 500, input: gen) { integer, bytes, scaled, flag in
            var object = StationJSONObject()
            object.append("integer", .integer(integer))
            object.append("text", .string(String(decoding: bytes, as: UTF8.self)))
            object.append("float", .float(Double(scaled) / 1000))
            object.append("list", .array([.bool(flag), .null, .object(StationJSONObject([.init("x", .integer(integer))]))]))
            let value = StationJSON.object(object)
            #expect((try? StationJSONParser.parse(value.serialized)) == value)
        }
    }
}
