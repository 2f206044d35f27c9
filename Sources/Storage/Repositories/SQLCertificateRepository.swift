import Foundation
import GatewayPKI
import LoRaWAN
import SQLKit

/// Issued gateway certificates and their revocation state: the live source the TLS verifier reads.
///
/// Issuance is one transaction per batch (see ``recordIssuances(_:)``): revoke what the new
/// certificates supersede, insert them (only for registered gateways), append the audit events. On
/// PostgreSQL it first locks the gateway rows (`SELECT ... FOR UPDATE`), so concurrent re-issues for
/// one gateway from several instances take turns and the second sees and supersedes the first's
/// certificate; on SQLite `BEGIN IMMEDIATE` already serialises all writers. The unique index
/// `certificates_one_unrevoked_per_gateway` backs both: two current certificates for one gateway
/// cannot be stored, whatever the code does.
public struct SQLCertificateRepository: CertificateRepository {
    let engine: any DatabaseEngine

    /// A batch of one. Also appends one `certificate.revoked` event per superseded certificate, by the
    /// first event's actor.
    ///
    /// - Throws: `StorageError.unknownGateway` (and stores nothing) when the gateway is not registered.
    public func recordIssuance(_ certificate: CertificateRecord, at time: Date, audit: [AuditEvent]) async throws -> [CertificateRecord] {
        switch try await recordIssuances([CertificateIssuance(certificate: certificate, time: time, audit: audit)]).first {
        case .recorded(let superseded): return superseded
        case .unknownGateway, nil: throw StorageError.unknownGateway(certificate.gatewayEUI)
        }
    }

    /// Group commit: the whole batch in one transaction and, per round of distinct gateways, four
    /// statements (lock/check the gateways, revoke what they supersede, insert the certificates, append
    /// the audit events) however many issuances the round holds. A second issuance for a gateway in the
    /// same batch goes to the next round, so it supersedes the first as if issued after it.
    public func recordIssuances(_ batch: [CertificateIssuance]) async throws -> [IssuanceRecordingOutcome] {
        guard !batch.isEmpty else { return [] }
        return try await engine.transaction { sql in
            var outcomes = [IssuanceRecordingOutcome?](repeating: nil, count: batch.count)
            for round in Self.rounds(of: batch) {
                let issuances = round.map { batch[$0] }
                let registered = try await CertificateRows.registeredGateways(
                    among: issuances.map(\.certificate.gatewayEUI), locking: engine.flavor == .postgres, on: sql)
                let stored = round.filter { registered.contains(batch[$0].certificate.gatewayEUI) }
                func times(_ indices: [Int]) -> [EUI64: Date] {
                    Dictionary(indices.map { (batch[$0].certificate.gatewayEUI, batch[$0].time) }, uniquingKeysWith: { first, _ in first })
                }
                // A CUPS delivery replaces only an earlier unconfirmed delivery; anything else replaces all.
                let superseded = try await CertificateRows.supersede(
                    times(stored.filter { batch[$0].certificate.delivery == nil }), on: sql
                ).merging(
                    try await CertificateRows.supersede(times(stored.filter { batch[$0].certificate.delivery != nil }), deliveriesOnly: true, on: sql),
                    uniquingKeysWith: +)
                try await CertificateRows.insert(stored.map { batch[$0].certificate }, on: sql)
                var events: [AuditEvent] = []
                for index in stored {
                    let issuance = batch[index]
                    let previous = superseded[issuance.certificate.gatewayEUI] ?? []
                    events += issuance.audit + AuditEventRows.revocationEvents(
                        for: previous, actor: issuance.audit.first?.actor ?? "system", at: issuance.time,
                        because: "superseded by certificate \(issuance.certificate.serial)")
                    outcomes[index] = .recorded(superseded: previous)
                }
                try await AuditEventRows.append(events, on: sql)
                for index in round where outcomes[index] == nil { outcomes[index] = .unknownGateway }
            }
            return outcomes.map { $0 ?? .unknownGateway }
        }
    }

    /// Splits batch indices into rounds in which each gateway appears at most once, keeping order per gateway.
    static func rounds(of batch: [CertificateIssuance]) -> [[Int]] {
        var rounds: [[Int]] = []
        var roundOfGateway: [EUI64: Int] = [:]
        for (index, issuance) in batch.enumerated() {
            let eui = issuance.certificate.gatewayEUI
            let round = roundOfGateway[eui].map { $0 + 1 } ?? 0
            roundOfGateway[eui] = round
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(index)
        }
        return rounds
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

    public func revokedCertificates(issuerID: String, notExpiredAt time: Date) async throws -> [ListedRevocation] {
        try await engine.read { sql in
            try await sql.raw("""
                SELECT serial, revoked_at, revocation_reason FROM certificates
                WHERE issuer_id = \(bind: issuerID) AND revoked_at IS NOT NULL AND not_after >= \(bind: StoredTime.microseconds(time))
                ORDER BY id
                """).all().map(CertificateRows.revokedEntry)
        }
    }

    public func awaitingConfirmation(gateway: EUI64) async throws -> CertificateRecord? {
        try await engine.read { sql in
            try await sql.raw("""
                SELECT \(CertificateRows.columns) FROM certificates
                WHERE gateway_eui = \(bind: gateway.description) AND revoked_at IS NULL AND delivered_crc IS NOT NULL
                """).first().map(CertificateRows.record)
        }
    }

    public func confirmDelivery(serial: String, at time: Date, audit: AuditEvent) async throws -> [CertificateRecord]? {
        try await engine.transaction { sql in
            let pendingQuery: SQLQueryString = """
                SELECT \(CertificateRows.columns) FROM certificates
                WHERE serial = \(bind: serial) AND revoked_at IS NULL AND delivered_crc IS NOT NULL
                """
            guard let pending = try await sql.raw(pendingQuery).first().map(CertificateRows.record) else { return nil }
            let eui = pending.gatewayEUI.description
            if engine.flavor == .postgres {
                // Take the gateway's turn, as issuance does, then look again: a concurrent confirmation
                // or re-issue may have changed the picture while we waited.
                try await sql.raw("SELECT eui FROM gateways WHERE eui = \(bind: eui) FOR UPDATE").run()
                guard try await sql.raw(pendingQuery).first() != nil else { return nil }
            }
            // Older certificates are revoked before the delivery stops being one, so at no moment do two
            // current certificates exist (the unique index would refuse it).
            let superseded = try await sql.raw("""
                UPDATE certificates SET revoked_at = \(bind: StoredTime.microseconds(time)), revocation_reason = \(bind: Int64(CRLReason.superseded.rawValue))
                WHERE gateway_eui = \(bind: eui) AND revoked_at IS NULL AND serial <> \(bind: serial)
                RETURNING \(CertificateRows.columns)
                """).all().map(CertificateRows.record)
            try await sql.raw("UPDATE certificates SET delivered_crc = NULL WHERE serial = \(bind: serial)").run()
            try await AuditEventRows.append(
                [audit] + AuditEventRows.revocationEvents(
                    for: superseded, actor: audit.actor, at: time, because: "superseded by confirmed certificate \(serial)"),
                on: sql)
            return superseded
        }
    }

    public func revocations(since time: Date) async throws -> [(serial: String, time: Date)] {
        try await engine.read { sql in
            try await sql.raw("""
                SELECT serial, revoked_at FROM certificates WHERE revoked_at >= \(bind: StoredTime.microseconds(time)) ORDER BY revoked_at
                """).all().map { row in
                    let revokedAt = try row.optionalTime("revoked_at", table: CertificateRows.table) ?? time
                    return (serial: try row.text("serial", table: CertificateRows.table), time: revokedAt)
                }
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
