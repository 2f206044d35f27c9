import Foundation
import GatewayPKI
import LoRaWAN
import SQLKit

/// The `certificates` table's statements shared by the repositories that change certificates
/// (issuance, revocation, gateway deletion), and its row mapping.
enum CertificateRows {
    static let table = "certificates"

    /// Every column of a `CertificateRecord`, for `SELECT` and `RETURNING` alike.
    static let columns = SQLQueryString("""
        serial, gateway_eui, issuer_id, not_before, not_after, fingerprint_sha256, der, key_algorithm, key_source, \
        issued_at, revoked_at, revocation_reason
        """)

    /// Inserts `certificate` if its gateway is registered; returns whether it did. The check is part of
    /// the statement (`INSERT ... SELECT ... WHERE EXISTS`), which saves SQLite a round trip per issuance.
    static func insertForRegisteredGateway(_ certificate: CertificateRecord, on sql: any SQLDatabase) async throws -> Bool {
        // NULL as a literal: a NULL bind has no type for PostgreSQL to infer in a SELECT list.
        let revokedAt: any SQLExpression = certificate.revocation.map { SQLBind(StoredTime.microseconds($0.time)) } ?? SQLLiteral.null
        let reason: any SQLExpression = certificate.revocation.map { SQLBind(Int64($0.reason.rawValue)) } ?? SQLLiteral.null
        let eui = certificate.gatewayEUI.description
        return try await sql.raw("""
            INSERT INTO certificates (\(columns)) SELECT
                \(bind: certificate.serial), \(bind: eui), \(bind: certificate.issuerID),
                \(bind: StoredTime.microseconds(certificate.notBefore)), \(bind: StoredTime.microseconds(certificate.notAfter)),
                \(bind: certificate.fingerprintSHA256), \(bind: Data(certificate.der)), \(bind: certificate.keyAlgorithm),
                \(bind: certificate.keySource.rawValue), \(bind: StoredTime.microseconds(certificate.issuedAt)), \(revokedAt), \(reason)
            WHERE EXISTS (SELECT 1 FROM gateways WHERE eui = \(bind: eui))
            RETURNING id
            """).first() != nil
    }

    /// Revokes every certificate of `gateway` that is not yet revoked and returns them as revoked.
    static func revokeAll(
        of gateway: EUI64, reason: CRLReason, at time: Date, on sql: any SQLDatabase
    ) async throws -> [CertificateRecord] {
        try await sql.raw("""
            UPDATE certificates SET revoked_at = \(bind: StoredTime.microseconds(time)), revocation_reason = \(bind: Int64(reason.rawValue))
            WHERE gateway_eui = \(bind: gateway.description) AND revoked_at IS NULL
            RETURNING \(columns)
            """).all().map(record).sorted { $0.issuedAt > $1.issuedAt }
    }

    static func record(_ row: any SQLRow) throws -> CertificateRecord {
        let keySourceText = try row.text("key_source", table: table)
        guard let keySource = CertificateKeySource(rawValue: keySourceText) else {
            throw StorageError.malformedRow(table: table, column: "key_source", reason: "unknown key source '\(keySourceText)'")
        }
        var revocation: CertificateRevocation?
        if let revokedAt = try row.optionalTime("revoked_at", table: table) {
            let code = try row.integer("revocation_reason", table: table)
            guard let reason = Int(exactly: code).flatMap(CRLReason.init(rawValue:)) else {
                throw StorageError.malformedRow(table: table, column: "revocation_reason", reason: "unknown CRL reason \(code)")
            }
            revocation = CertificateRevocation(time: revokedAt, reason: reason)
        }
        return CertificateRecord(
            serial: try row.text("serial", table: table),
            gatewayEUI: try row.eui("gateway_eui", table: table),
            issuerID: try row.text("issuer_id", table: table),
            notBefore: try row.time("not_before", table: table),
            notAfter: try row.time("not_after", table: table),
            fingerprintSHA256: try row.text("fingerprint_sha256", table: table),
            der: try row.bytes("der", table: table),
            keyAlgorithm: try row.text("key_algorithm", table: table),
            keySource: keySource,
            issuedAt: try row.time("issued_at", table: table),
            revocation: revocation
        )
    }
}

extension SQLRow {
    func eui(_ column: String, table: String) throws -> EUI64 {
        let text = try text(column, table: table)
        guard let eui = try? EUI64(parsing: text) else {
            throw StorageError.malformedRow(table: table, column: column, reason: "not an EUI-64")
        }
        return eui
    }
}
