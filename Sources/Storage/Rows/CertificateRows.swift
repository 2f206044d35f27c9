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
        issued_at, revoked_at, revocation_reason, delivered_crc
        """)

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

    /// Which of `gateways` are registered. On PostgreSQL `locking` takes their rows' locks for the
    /// transaction, so concurrent re-issues for one gateway from several instances take turns.
    static func registeredGateways(among gateways: [EUI64], locking: Bool, on sql: any SQLDatabase) async throws -> Set<EUI64> {
        guard !gateways.isEmpty else { return [] }
        var statement = SQLQueryString("SELECT eui FROM gateways WHERE eui IN (")
        for (index, eui) in gateways.enumerated() {
            statement += index == 0 ? "\(bind: eui.description)" : ", \(bind: eui.description)"
        }
        statement += locking ? ") ORDER BY eui FOR UPDATE" : ")"
        return Set(try await sql.raw(statement).all().map { try $0.eui("eui", table: "gateways") })
    }

    /// NULL as a literal when there is no delivery.
    static func deliveredCRC(_ certificate: CertificateRecord) -> any SQLExpression {
        certificate.delivery.map { SQLBind(Int64($0.credentialsCRC)) } ?? SQLLiteral.null
    }

    /// Revokes (superseded) every unrevoked certificate of each gateway, at that gateway's time, in one
    /// statement; returns the revoked certificates per gateway, newest first. With `deliveriesOnly`,
    /// only unconfirmed CUPS deliveries are revoked.
    static func supersede(
        _ timeByGateway: [EUI64: Date], deliveriesOnly: Bool = false, on sql: any SQLDatabase
    ) async throws -> [EUI64: [CertificateRecord]] {
        guard !timeByGateway.isEmpty else { return [:] }
        var statement = SQLQueryString("UPDATE certificates SET revoked_at = CASE gateway_eui")
        for (eui, time) in timeByGateway {
            statement += " WHEN \(bind: eui.description) THEN \(bind: StoredTime.microseconds(time))"
        }
        statement += " END, revocation_reason = \(bind: Int64(CRLReason.superseded.rawValue)) WHERE revoked_at IS NULL"
        if deliveriesOnly { statement += " AND delivered_crc IS NOT NULL" }
        statement += " AND gateway_eui IN ("
        for (index, eui) in timeByGateway.keys.enumerated() {
            statement += index == 0 ? "\(bind: eui.description)" : ", \(bind: eui.description)"
        }
        statement += ") RETURNING \(columns)"
        let revoked = try await sql.raw(statement).all().map(record)
        return Dictionary(grouping: revoked, by: \.gatewayEUI).mapValues { $0.sorted { $0.issuedAt > $1.issuedAt } }
    }

    /// Inserts certificates in one multi-row statement. The caller has checked their gateways exist.
    static func insert(_ certificates: [CertificateRecord], on sql: any SQLDatabase) async throws {
        guard !certificates.isEmpty else { return }
        var statement = SQLQueryString("INSERT INTO certificates (\(columns)) VALUES ")
        for (index, certificate) in certificates.enumerated() {
            let revokedAt: any SQLExpression = certificate.revocation.map { SQLBind(StoredTime.microseconds($0.time)) } ?? SQLLiteral.null
            let reason: any SQLExpression = certificate.revocation.map { SQLBind(Int64($0.reason.rawValue)) } ?? SQLLiteral.null
            if index > 0 { statement += ", " }
            statement += """
                (\(bind: certificate.serial), \(bind: certificate.gatewayEUI.description), \(bind: certificate.issuerID), \
                \(bind: StoredTime.microseconds(certificate.notBefore)), \(bind: StoredTime.microseconds(certificate.notAfter)), \
                \(bind: certificate.fingerprintSHA256), \(bind: Data(certificate.der)), \(bind: certificate.keyAlgorithm), \
                \(bind: certificate.keySource.rawValue), \(bind: StoredTime.microseconds(certificate.issuedAt)), \(revokedAt), \(reason), \
                \(deliveredCRC(certificate)))
                """
        }
        try await sql.raw(statement).run()
    }

    /// A CRL listing from a row of `serial, revoked_at, revocation_reason`.
    static func revokedEntry(_ row: any SQLRow) throws -> ListedRevocation {
        let serial = try row.text("serial", table: table)
        guard let time = try row.optionalTime("revoked_at", table: table) else {
            throw StorageError.malformedRow(table: table, column: "revoked_at", reason: "a revoked certificate without a revocation time")
        }
        let code = try row.integer("revocation_reason", table: table)
        guard let reason = Int(exactly: code).flatMap(CRLReason.init(rawValue:)) else {
            throw StorageError.malformedRow(table: table, column: "revocation_reason", reason: "unknown CRL reason \(code)")
        }
        return ListedRevocation(serialHex: serial, revocationDate: time, reason: reason)
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
        var delivery: StationDelivery?
        if !(try row.decodeNil(column: "delivered_crc")) {
            let crc = try row.integer("delivered_crc", table: table)
            guard let value = UInt32(exactly: crc) else {
                throw StorageError.malformedRow(table: table, column: "delivered_crc", reason: "not a CRC-32")
            }
            delivery = StationDelivery(credentialsCRC: value)
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
            revocation: revocation,
            delivery: delivery
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
