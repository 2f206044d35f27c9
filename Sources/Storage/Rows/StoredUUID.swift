import Foundation
import SQLKit

/// UUIDs as their 16 bytes (`BLOB` on SQLite, `BYTEA` on PostgreSQL): half the size of the text form in
/// the row and its indexes, and compared byte by byte on both databases (a `TEXT` key on PostgreSQL
/// compares under the database's collation). Used where rows are written at the uplink rate.
enum StoredUUID {
    static func data(_ id: UUID) -> Data {
        withUnsafeBytes(of: id.uuid) { Data($0) }
    }

    static func uuid(_ bytes: [UInt8]) -> UUID? {
        guard bytes.count == 16 else { return nil }
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }
}

extension SQLRow {
    func uuid(_ column: String, table: String) throws -> UUID {
        guard let id = StoredUUID.uuid(try bytes(column, table: table)) else {
            throw StorageError.malformedRow(table: table, column: column, reason: "not a 16-byte UUID")
        }
        return id
    }
}
