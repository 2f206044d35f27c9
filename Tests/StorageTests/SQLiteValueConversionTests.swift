import Foundation
import NIOCore
import SQLiteKit
@testable import Storage
import Testing

/// Values bound and read without sqlite-kit's coders must convert exactly as those coders would.
@Suite("SQLite value conversion without the coders")
struct SQLiteValueConversionTests {
    /// A type the direct conversion does not know: it goes through the encoder (as JSON text; one
    /// key, as JSON's key order is not fixed).
    struct Tag: Codable, Equatable, Sendable {
        var name: String
    }

    static let bound: [any Encodable & Sendable] = [
        "text", "", "with\u{0}nul and ünïcode", Int64.min, Int64.max, Int64(0), 42, -7, 1.5, -0.0, true, false,
        Data(), Data([0, 1, 2, 255]), String?.none, String?.some("x"), Int64?.none, Int64?.some(9), Data?.none,
        Data?.some(Data([7])), Tag(name: "t"), Int32(5), UInt8(3),
    ]

    @Test("every bound value converts as sqlite-kit's encoder converts it")
    func binding() throws {
        for value in Self.bound {
            #expect(try SQLiteBindValue.data(value) == (try SQLiteDataEncoder().encode(value)), "\(type(of: value))")
        }
    }

    static func row(_ value: SQLiteData) -> SQLiteResultRow {
        SQLiteResultRow(columns: SQLiteResultColumns(names: ["c"]), values: [value])
    }

    @Test("every column read converts as sqlite-kit's decoder converts it, mismatches included")
    func reading() throws {
        let stored: [SQLiteData] = [
            .text("text"), .text(""), .text("12"), .integer(12), .integer(-1), .float(2.5), .blob(ByteBuffer(bytes: [1, 2])),
            .blob(ByteBuffer()), .null,
        ]
        for value in stored {
            func same<D: Decodable & Equatable>(_ type: D.Type) {
                let direct = Result { try Self.row(value).decode(column: "c", as: D.self) }
                let decoder = Result { try SQLiteDataDecoder().decode(D.self, from: value) }
                switch (direct, decoder) {
                case (.success(let a), .success(let b)): #expect(a == b, "\(value) as \(D.self)")
                case (.failure, .failure): break
                default: Issue.record("\(value) as \(D.self): \(direct) against \(decoder)")
                }
            }
            same(String.self)
            same(Int64.self)
            same(Int.self)
            same(Double.self)
            same(Data.self)
            same(Bool.self)
            same(String?.self)
        }
    }
}
