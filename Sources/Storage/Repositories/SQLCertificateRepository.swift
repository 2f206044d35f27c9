import Foundation
import GatewayPKI
import LoRaWAN
import SQLKit

/// Issued gateway certificates and their revocation state: the live source the TLS verifier reads.
///
/// Re-issue is one transaction: revoke the gateway's unrevoked certificates as superseded, insert the
/// new one (only if the gateway is registered), append the audit events. On PostgreSQL it first locks
/// the gateway row (`SELECT ... FOR UPDATE`), so concurrent re-issues for one gateway from several
/// instances take turns and the second sees and supersedes the first's certificate; on SQLite
/// `BEGIN IMMEDIATE` already serialises all writers, so the lock would be a wasted round trip. The
/// unique index `certificates_one_unrevoked_per_gateway` backs both: two valid certificates for one
/// gateway cannot be stored, whatever the code does.
///
/// Round trips per re-issue on SQLite: `BEGIN`, revoke, insert, audit, `COMMIT`.
public struct SQLCertificateRepository: CertificateRepository {
    let engine: any DatabaseEngine

    /// Also appends one `certificate.revoked` event per superseded certificate, by the first event's actor.
    ///
    /// - Throws: `StorageError.unknownGateway` (and stores nothing) when the gateway is not registered.
    public func recordIssuance(_ certificate: CertificateRecord, at time: Date, audit: [AuditEvent]) async throws -> [CertificateRecord] {
        try await engine.transaction { sql in
            let eui = certificate.gatewayEUI
            if engine.flavor == .postgres {
                try await sql.raw("SELECT eui FROM gateways WHERE eui = \(bind: eui.description) FOR UPDATE").run()
            }
            let superseded = try await CertificateRows.revokeAll(of: eui, reason: .superseded, at: time, on: sql)
            guard try await CertificateRows.insertForRegisteredGateway(certificate, on: sql) else {
                // Throwing rolls back the supersession above.
                throw StorageError.unknownGateway(eui)
            }
            let revocations = AuditEventRows.revocationEvents(
                for: superseded, actor: audit.first?.actor ?? "system", at: time, because: "superseded by certificate \(certificate.serial)"
            )
            try await AuditEventRows.append(audit + revocations, on: sql)
            return superseded
        }
    }

    public func revoke(serial: String, reason: CRLReason, at time: Date, audit: AuditEvent) async throws -> RevocationOutcome {
        try await engine.transaction { sql in
            // The condition `revoked_at IS NULL` decides between concurrent revocations: PostgreSQL
            // re-checks it after waiting for the row lock, so exactly one of them revokes.
            let revoked = try await sql.raw("""
                UPDATE certificates SET revoked_at = \(bind: StoredTime.microseconds(time)), revocation_reason = \(bind: Int64(reason.rawValue))
                WHERE serial = \(bind: serial) AND revoked_at IS NULL
                RETURNING \(CertificateRows.columns)
                """).first()
            if let revoked {
                try await AuditEventRows.append([audit], on: sql)
                return .revoked(try CertificateRows.record(revoked))
            }
            guard let existing = try await Self.select(serial: serial, on: sql) else { return .notFound }
            return .alreadyRevoked(existing)
        }
    }

    public func certificate(serial: String) async throws -> CertificateRecord? {
        try await engine.read { sql in try await Self.select(serial: serial, on: sql) }
    }

    public func certificates(gateway: EUI64) async throws -> [CertificateRecord] {
        try await engine.read { sql in
            try await sql.raw("""
                SELECT \(CertificateRows.columns) FROM certificates WHERE gateway_eui = \(bind: gateway.description)
                ORDER BY issued_at DESC, id DESC
                """).all().map(CertificateRows.record)
        }
    }

    public func revokedCertificates(issuerID: String, notExpiredAt time: Date) async throws -> [CertificateRecord] {
        try await engine.read { sql in
            try await sql.raw("""
                SELECT \(CertificateRows.columns) FROM certificates
                WHERE issuer_id = \(bind: issuerID) AND revoked_at IS NOT NULL AND not_after >= \(bind: StoredTime.microseconds(time))
                ORDER BY id
                """).all().map(CertificateRows.record)
        }
    }

    public func revokedSerials() async throws -> [String] {
        try await engine.read { sql in
            try await sql.raw("SELECT serial FROM certificates WHERE revoked_at IS NOT NULL ORDER BY id").all()
                .map { try $0.text("serial", table: CertificateRows.table) }
        }
    }

    private static func select(serial: String, on sql: any SQLDatabase) async throws -> CertificateRecord? {
        try await sql.raw("SELECT \(CertificateRows.columns) FROM certificates WHERE serial = \(bind: serial)").first()
            .map(CertificateRows.record)
    }
}
