import Foundation
import GatewayPKI
import LoRaWAN
import SQLKit

/// Registered gateways, on SQLite or PostgreSQL.
public struct SQLGatewayRepository: GatewayRepository {
    private static let table = "gateways"
    private static let columns = SQLQueryString("eui, name, network, latitude, longitude, altitude, frequency_plan, created_at")

    let engine: any DatabaseEngine

    public func insert(_ gateway: GatewayRecord, audit: AuditEvent) async throws -> InsertOutcome {
        try await engine.transaction { sql in
            // ON CONFLICT DO NOTHING: a duplicate is an outcome, not a failed (and logged) statement.
            let inserted = try await sql.raw("""
                INSERT INTO gateways (\(Self.columns)) VALUES (
                    \(bind: gateway.eui.description), \(bind: gateway.name), \(bind: gateway.network),
                    \(bind: gateway.location?.latitude), \(bind: gateway.location?.longitude), \(bind: gateway.location?.altitude),
                    \(bind: gateway.frequencyPlan.rawValue), \(bind: StoredTime.microseconds(gateway.createdAt)))
                ON CONFLICT (eui) DO NOTHING
                RETURNING eui
                """).first()
            guard inserted != nil else { return .duplicate }
            try await AuditEventRows.append([audit], on: sql)
            return .inserted
        }
    }

    public func gateway(_ eui: EUI64) async throws -> GatewayRecord? {
        try await engine.read { sql in
            try await sql.raw("SELECT \(Self.columns) FROM gateways WHERE eui = \(bind: eui.description)").first().map(Self.record)
        }
    }

    public func gateways(network: String?) async throws -> [GatewayRecord] {
        try await engine.read { sql in
            var query = SQLQueryString("SELECT \(Self.columns) FROM gateways")
            if let network { query += " WHERE network = \(bind: network)" }
            query += " ORDER BY eui"
            return try await sql.raw(query).all().map(Self.record)
        }
    }

    public func delete(_ eui: EUI64, at time: Date, audit: AuditEvent) async throws -> [CertificateRecord]? {
        try await engine.transaction { sql in
            // Locks the gateway against a concurrent re-issue on PostgreSQL (see SQLCertificateRepository).
            guard try await sql.raw("SELECT eui FROM gateways WHERE eui = \(bind: eui.description) \(SQLLockingClause.update)").first() != nil else {
                return nil
            }
            let revoked = try await CertificateRows.revokeAll(of: eui, reason: .cessationOfOperation, at: time, on: sql)
            try await sql.raw("DELETE FROM gateways WHERE eui = \(bind: eui.description)").run()
            let revocations = AuditEventRows.revocationEvents(for: revoked, actor: audit.actor, at: time, because: "gateway deleted")
            try await AuditEventRows.append([audit] + revocations, on: sql)
            return revoked
        }
    }

    private static func record(_ row: any SQLRow) throws -> GatewayRecord {
        let planText = try row.text("frequency_plan", table: table)
        guard let plan = Region(rawValue: planText) else {
            throw StorageError.malformedRow(table: table, column: "frequency_plan", reason: "unknown region '\(planText)'")
        }
        var location: GatewayLocation?
        if let latitude = try row.optionalDouble("latitude", table: table),
            let longitude = try row.optionalDouble("longitude", table: table)
        {
            location = GatewayLocation(latitude: latitude, longitude: longitude, altitude: try row.optionalDouble("altitude", table: table))
            if location == nil {
                throw StorageError.malformedRow(table: table, column: "latitude", reason: "coordinates out of range")
            }
        }
        return GatewayRecord(
            eui: try row.eui("eui", table: table),
            name: try row.text("name", table: table),
            network: try row.text("network", table: table),
            location: location,
            frequencyPlan: plan,
            createdAt: try row.time("created_at", table: table)
        )
    }
}
