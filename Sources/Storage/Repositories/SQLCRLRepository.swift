import Foundation
import GatewayPKI
import SQLKit

/// The latest signed CRL of each issuing CA.
public struct SQLCRLRepository: CRLRepository {
    private static let table = "crls"

    let engine: any DatabaseEngine

    /// Stores `crl` only if its number is above the stored one: the comparison is part of the upsert,
    /// so two instances storing CRLs at once cannot move the number backwards.
    public func store(_ crl: CRLRecord) async throws -> Bool {
        try await engine.transaction { sql in
            try await sql.raw("""
                INSERT INTO crls (issuer_id, number, this_update, next_update, der) VALUES (
                    \(bind: crl.issuerID), \(bind: crl.number), \(bind: StoredTime.microseconds(crl.thisUpdate)),
                    \(bind: StoredTime.microseconds(crl.nextUpdate)), \(bind: Data(crl.der)))
                ON CONFLICT (issuer_id) DO UPDATE SET number = excluded.number, this_update = excluded.this_update,
                    next_update = excluded.next_update, der = excluded.der
                WHERE crls.number < excluded.number
                RETURNING number
                """).first() != nil
        }
    }

    public func latest(issuerID: String) async throws -> CRLRecord? {
        try await engine.read { sql in
            try await sql.raw("SELECT issuer_id, number, this_update, next_update, der FROM crls WHERE issuer_id = \(bind: issuerID)")
                .first()
                .map { row in
                    CRLRecord(
                        issuerID: try row.text("issuer_id", table: Self.table),
                        number: try row.integer("number", table: Self.table),
                        thisUpdate: try row.time("this_update", table: Self.table),
                        nextUpdate: try row.time("next_update", table: Self.table),
                        der: try row.bytes("der", table: Self.table)
                    )
                }
        }
    }
}
