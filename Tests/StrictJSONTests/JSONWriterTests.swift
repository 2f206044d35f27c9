import PropertyBased
import StrictJSON
import Testing

/// The writer: compact, deterministic, and read back by the parser as the value it wrote.
@Suite("Strict JSON writer")
struct JSONWriterTests {
    @Test("integers as integers, floats with a fraction, control characters escaped, members in order")
    func writing() {
        var object = JSONObject()
        object.append("i", .integer(10_000_000))
        object.append("big", .integer(45_035_996_546_115_715))
        object.append("huge", .largeInteger("18446744073709551616"))
        object.append("f", .float(16))
        object.append("t", .float(1_795_262_442.98))
        object.append("s", .string("q\"\\\n\r\t\u{01}\u{1F}é/"))
        object.append("n", .null)
        object.append("a", .array([.bool(true), .bool(false)]))
        object.append("o", .object(JSONObject()))
        let text = String(decoding: JSONValue.object(object).serialized, as: UTF8.self)
        #expect(text == #"{"i":10000000,"big":45035996546115715,"huge":18446744073709551616,"f":16.0,"t":1795262442.98,"s":"q\"\\\n\r\t\u0001\u001fé/","n":null,"a":[true,false],"o":{}}"#)
    }

    @Test("a number JSON cannot carry is written as null, so the text stays valid")
    func nonFinite() {
        #expect(JSONValue.array([.float(.infinity), .float(-.infinity), .float(.nan)]).serialized == Array("[null,null,null]".utf8))
    }

    @Test("a written value parses back to itself")
    func roundTrip() async {
        let gen = zip(Gen.int64(), Gen.uint8().array(of: 0...40), Gen.int(in: -1_000_000...1_000_000), Gen.bool)
        await propertyCheck(count: 500, input: gen) { integer, bytes, scaled, flag in
            var object = JSONObject()
            object.append("integer", .integer(integer))
            object.append("text", .string(String(decoding: bytes, as: UTF8.self)))
            object.append("float", .float(Double(scaled) / 1000))
            object.append("list", .array([.bool(flag), .null, .object(JSONObject([.init("x", .integer(integer))]))]))
            let value = JSONValue.object(object)
            #expect((try? JSONParser.parse(value.serialized, maximumDepth: 32)) == value)
        }
    }
}
