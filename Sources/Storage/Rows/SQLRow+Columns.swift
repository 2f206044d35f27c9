import Foundation
import SQLKit

/// Typed column reads that name the table and column when a stored value is not what it should be.
extension SQLRow {
    func text(_ column: String, table: String) throws -> String {
        try value(column, table: table, as: String.self)
    }

    func optionalText(_ column: String, table: String) throws -> String? {
        try decodeNil(column: column) ? nil : text(column, table: table)
    }

    func integer(_ column: String, table: String) throws -> Int64 {
        try value(column, table: table, as: Int64.self)
    }

    func optionalDouble(_ column: String, table: String) throws -> Double? {
        try decodeNil(column: column) ? nil : value(column, table: table, as: Double.self)
    }

    func time(_ column: String, table: String) throws -> Date {
        StoredTime.date(try integer(column, table: table))
    }

    func optionalTime(_ column: String, table: String) throws -> Date? {
        try decodeNil(column: column) ? nil : time(column, table: table)
    }

    func bytes(_ column: String, table: String) throws -> [UInt8] {
        [UInt8](try value(column, table: table, as: Data.self))
    }

    func optionalBytes(_ column: String, table: String) throws -> [UInt8]? {
        try decodeNil(column: column) ? nil : bytes(column, table: table)
    }

    private func value<Value: Decodable>(_ column: String, table: String, as type: Value.Type) throws -> Value {
        do {
            return try decode(column: column, as: type)
        } catch {
            // The decoding error may quote the stored value; name only what was expected.
            throw StorageError.malformedRow(table: table, column: column, reason: "not a \(type)")
        }
    }
}
