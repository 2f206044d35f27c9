import StrictJSON
import Testing

/// Objects: written order kept, names unique, JSON equality.
@Suite("Strict JSON objects")
struct JSONObjectTests {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8), maximumDepth: 32)
    }

    @Test("objects compare as JSON does: by names and values, in any order")
    func equality() throws {
        #expect(try Self.parse(#"{"a":1,"b":[true,null]}"#) == Self.parse(#" { "b" : [ true , null ] , "a" : 1 } "#))
        #expect(try Self.parse(#"{"a":1}"#) != Self.parse(#"{"a":1.0}"#))
        #expect(try Self.parse(#"{"a":1}"#) != Self.parse(#"{"a":1,"b":2}"#))
        #expect(JSONObject([.init("a", .null)], path: "x") == JSONObject([.init("a", .null)]))
    }

    @Test("append keeps the written order and refuses a name that is already there")
    func append() {
        var object = JSONObject()
        let appended = [object.append("b", .integer(1)), object.append("a", .integer(2)), object.append("b", .integer(3))]
        #expect(appended == [true, true, false])
        #expect(object.members.map(\.name) == ["b", "a"])
        #expect(object["b"] == .integer(1))
        #expect(object["c"] == nil)
        #expect(JSONObject([.init("x", .integer(1)), .init("x", .integer(2))]).members == [.init("x", .integer(1))])
    }

    @Test("lookups stay right past the size where objects switch to an index")
    func largeObjects() {
        var object = JSONObject()
        let appended = (0..<200).map { object.append("m\($0)", .integer(Int64($0))) }
        #expect(appended.allSatisfy { $0 })
        let repeated = [object.append("m5", .null), object.append("m150", .null)]
        #expect(repeated == [false, false])
        #expect((0..<200).allSatisfy { object["m\($0)"] == .integer(Int64($0)) })
        #expect(object.members.count == 200)
        #expect(object == JSONObject(object.members.reversed()))
    }
}
