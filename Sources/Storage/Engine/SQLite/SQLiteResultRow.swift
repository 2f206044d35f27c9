import Foundation
import NIOCore
import SQLKit
import SQLiteKit
import VaporCSQLite

/// The column names of one statement's result, read once and shared by its rows.
struct SQLiteResultColumns: Sendable {
    let names: [String]

    init(_ statement: OpaquePointer) {
        let count = Int(sqlite_nio_sqlite3_column_count(statement))
        names = (0..<count).map { index in
            sqlite_nio_sqlite3_column_name(statement, Int32(index)).map { String(cString: $0) } ?? ""
        }
    }

    var count: Int { names.count }

    func index(of column: String) -> Int? {
        // Rows have a handful of columns: a scan beats hashing the name.
        names.firstIndex(of: column)
    }
}

/// One result row, copied out of the statement (the statement is reset right after), decoded with
/// sqlite-kit's decoder so columns read exactly as they did through sqlite-nio.
struct SQLiteResultRow: SQLRow {
    let columns: SQLiteResultColumns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool {
        columns.index(of: column) != nil
    }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.index(of: column) else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let index = columns.index(of: column) else {
            throw StorageError.database("no column \(column) in the result")
        }
        return try SQLiteDataDecoder().decode(D.self, from: values[index])
    }

    static func values(of statement: OpaquePointer, count: Int) -> [SQLiteData] {
        var values: [SQLiteData] = []
        values.reserveCapacity(count)
        for index in 0..<Int32(count) {
            switch sqlite_nio_sqlite3_column_type(statement, index) {
            case SQLITE_INTEGER:
                values.append(.integer(Int(sqlite_nio_sqlite3_column_int64(statement, index))))
            case SQLITE_FLOAT:
                values.append(.float(sqlite_nio_sqlite3_column_double(statement, index)))
            case SQLITE_TEXT:
                let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
                if let text = sqlite_nio_sqlite3_column_text(statement, index) {
                    values.append(.text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self)))
                } else {
                    values.append(.text(""))
                }
            case SQLITE_BLOB:
                let length = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
                var buffer = ByteBufferAllocator().buffer(capacity: length)
                if let bytes = sqlite_nio_sqlite3_column_blob(statement, index), length > 0 {
                    buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
                }
                values.append(.blob(buffer))
            default:
                values.append(.null)
            }
        }
        return values
    }
}
