import Foundation
import NIOCore
import SQLKit
import SQLiteKit
import VaporCSQLite

/// The column names of one statement's result, read once and shared by its rows.
struct SQLiteResultColumns: Sendable {
    let names: [String]

    init(names: [String]) {
        self.names = names
    }

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

/// One result row, copied out of the statement (the statement is reset right after), decoded as
/// sqlite-kit's decoder would, so columns read exactly as they did through sqlite-nio.
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
        let value = values[index]
        if let direct = Self.direct(value, as: D.self) { return direct }
        return try Self.decoder.decode(D.self, from: value)
    }

    /// sqlite-kit's decoder makes a `JSONDecoder` when created; one serves every row.
    private static let decoder = SQLiteDataDecoder()

    /// The column types the repositories read, taken without a decoder: the decoder's conversion
    /// checks and its allocation cost more than the rest of reading a row. A pair not listed here
    /// goes through the decoder, so the result is always what the decoder would give.
    private static func direct<D>(_ value: SQLiteData, as type: D.Type) -> D? {
        switch value {
        case .text(let text) where D.self == String.self:
            return unsafeBitCast(text, to: D.self)
        case .integer(let integer) where D.self == Int64.self:
            return unsafeBitCast(Int64(integer), to: D.self)
        case .integer(let integer) where D.self == Int.self:
            return unsafeBitCast(integer, to: D.self)
        case .float(let double) where D.self == Double.self:
            return unsafeBitCast(double, to: D.self)
        case .blob(let buffer) where D.self == Data.self:
            return unsafeBitCast(Data(buffer.readableBytesView), to: D.self)
        default:
            return nil
        }
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
