import SQLKit

extension Migration {
    /// Certificates CUPS delivered and the station has not yet confirmed (`delivered_crc` not NULL):
    /// they are valid but do not count as the gateway's current certificate, so the one-valid-per-
    /// gateway index now covers confirmed certificates only, and a second index allows at most one
    /// unconfirmed delivery per gateway.
    /// Also indexes revocation times: every instance polls for revocations made elsewhere.
    static let stationDeliveries = Migration(version: 4, name: "station_deliveries") { sql, _ in
        try await sql.raw("CREATE INDEX certificates_revoked_at ON certificates (revoked_at) WHERE revoked_at IS NOT NULL").run()
        try await sql.raw("ALTER TABLE certificates ADD COLUMN delivered_crc BIGINT").run()
        try await sql.raw("DROP INDEX certificates_one_unrevoked_per_gateway").run()
        try await sql.raw("""
            CREATE UNIQUE INDEX certificates_one_unrevoked_per_gateway ON certificates (gateway_eui)
            WHERE revoked_at IS NULL AND delivered_crc IS NULL
            """).run()
        try await sql.raw("""
            CREATE UNIQUE INDEX certificates_one_delivery_per_gateway ON certificates (gateway_eui)
            WHERE revoked_at IS NULL AND delivered_crc IS NOT NULL
            """).run()
    }
}
