import Foundation
import NIOCore
import SQLiteKit

/// The values statements bind, turned into `SQLiteData` as sqlite-kit's encoder would.
///
/// The encoder makes a `JSONEncoder` when created and looks up a protocol conformance per value; a
/// multi-row insert binds hundreds of values, so the types the repositories bind are converted here
/// directly, by their exact type. Any other type goes through the encoder.
enum SQLiteBindValue {
    private static let encoder = SQLiteDataEncoder()

    static func data(_ value: any Encodable) throws -> SQLiteData {
        switch ObjectIdentifier(type(of: value)) {
        case ObjectIdentifier(String.self): return .text(value as! String)
        case ObjectIdentifier(Int64.self): return .integer(Int(value as! Int64))
        case ObjectIdentifier(Int.self): return .integer(value as! Int)
        case ObjectIdentifier(Data.self): return blob(value as! Data)
        case ObjectIdentifier(Double.self): return .float(value as! Double)
        case ObjectIdentifier(Bool.self): return .integer(value as! Bool ? 1 : 0)
        case ObjectIdentifier(String?.self): return (value as! String?).map(SQLiteData.text) ?? .null
        case ObjectIdentifier(Int64?.self): return (value as! Int64?).map { .integer(Int($0)) } ?? .null
        case ObjectIdentifier(Data?.self): return (value as! Data?).map(blob) ?? .null
        default: return try encoder.encode(value)
        }
    }

    private static func blob(_ data: Data) -> SQLiteData {
        var buffer = ByteBufferAllocator().buffer(capacity: data.count)
        buffer.writeBytes(data)
        return .blob(buffer)
    }
}
