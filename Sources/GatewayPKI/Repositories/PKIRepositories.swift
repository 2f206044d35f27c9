import Foundation
import LoRaWAN

/// Storage for the Gateway PKI's aggregates. `Storage` implements these on SQLite and PostgreSQL with
/// the same SQL; the PKI never sees a database. Infrastructure failures are thrown; outcomes the PKI
/// must decide on (a duplicate, a second revocation) are return values.
public protocol GatewayRepository: Sendable {
    /// Stores a new gateway and its audit event in one transaction; `.duplicate` if the EUI exists.
    func insert(_ gateway: GatewayRecord, audit: AuditEvent) async throws -> InsertOutcome
    func gateway(_ eui: EUI64) async throws -> GatewayRecord?
    /// All gateways, or those of one network, ordered by EUI.
    func gateways(network: String?) async throws -> [GatewayRecord]
    /// Deletes a gateway, revokes its valid certificates (cessationOfOperation) and appends the audit
    /// events, in one transaction. Returns the certificates it revoked, or `nil` if the gateway did not exist.
    func delete(_ eui: EUI64, at time: Date, audit: AuditEvent) async throws -> [CertificateRecord]?
}

public enum InsertOutcome: Sendable, Equatable {
    case inserted
    case duplicate
}

public protocol CertificateRepository: Sendable {
    /// Stores a newly issued certificate, revokes every earlier certificate of the same gateway that is
    /// not yet revoked (reason superseded, at `time`) and appends the audit events, in one transaction.
    /// Returns the certificates it revoked.
    func recordIssuance(_ certificate: CertificateRecord, at time: Date, audit: [AuditEvent]) async throws -> [CertificateRecord]
    /// Records several issuances in one transaction (group commit), each with the effect of
    /// ``recordIssuance(_:at:audit:)`` in array order; two issuances for one gateway behave as if made one
    /// after the other. Returns one outcome per issuance, in order; throws (and stores nothing) on an
    /// infrastructure failure.
    func recordIssuances(_ batch: [CertificateIssuance]) async throws -> [IssuanceRecordingOutcome]
    /// Revokes one certificate and appends the audit event in one transaction.
    func revoke(serial: String, reason: CRLReason, at time: Date, audit: AuditEvent) async throws -> RevocationOutcome
    func certificate(serial: String) async throws -> CertificateRecord?
    /// A gateway's certificates, newest first: its history.
    func certificates(gateway: EUI64) async throws -> [CertificateRecord]
    /// Every revoked certificate an issuer signed that has not yet expired at `time`, in the order
    /// they were issued. Only serial, time and reason: a CRL of many entries is rebuilt often.
    func revokedCertificates(issuerID: String, notExpiredAt time: Date) async throws -> [ListedRevocation]
    /// The gateway's unrevoked certificate still awaiting the station's confirmation, if any.
    func awaitingConfirmation(gateway: EUI64) async throws -> CertificateRecord?
    /// Confirms a delivered certificate: it stops awaiting and every other unrevoked certificate of its
    /// gateway is revoked (superseded), with `audit` and one revocation event each, in one transaction.
    /// Returns the superseded certificates, or `nil` when `serial` is not an unrevoked certificate
    /// awaiting confirmation.
    func confirmDelivery(serial: String, at time: Date, audit: AuditEvent) async throws -> [CertificateRecord]?
    /// Serials revoked at or after `time` with their revocation times, oldest first: how an instance
    /// learns of revocations made by another (a CLI command, another server on PostgreSQL).
    func revocations(since time: Date) async throws -> [(serial: String, time: Date)]
    /// Serials of every revoked certificate, to warm the live revocation state at start-up.
    func revokedSerials() async throws -> [String]
}

/// A certificate to store with the audit events of its issuance: one element of a group commit. A
/// certificate with a ``CertificateRecord/delivery`` supersedes only the gateway's earlier unconfirmed
/// delivery; any other supersedes every unrevoked certificate of the gateway.
public struct CertificateIssuance: Sendable, Equatable {
    public var certificate: CertificateRecord
    public var time: Date
    public var audit: [AuditEvent]

    public init(certificate: CertificateRecord, time: Date, audit: [AuditEvent]) {
        self.certificate = certificate
        self.time = time
        self.audit = audit
    }
}

public enum IssuanceRecordingOutcome: Sendable, Equatable {
    /// Stored; these earlier certificates of the gateway were revoked as superseded.
    case recorded(superseded: [CertificateRecord])
    /// Nothing stored: the gateway is not registered (it may have been deleted meanwhile).
    case unknownGateway
}

public enum RevocationOutcome: Sendable, Equatable {
    case revoked(CertificateRecord)
    /// Revoking twice is idempotent: the first revocation (time and reason) stands.
    case alreadyRevoked(CertificateRecord)
    case notFound
}

public protocol AuthorityRepository: Sendable {
    func save(_ authority: AuthorityRecord, audit: AuditEvent) async throws
    func authorities() async throws -> [AuthorityRecord]
    func authority(id: String) async throws -> AuthorityRecord?
    /// Drops the private key of a CA (an offline root) and appends the audit event.
    func removePrivateKey(id: String, audit: AuditEvent) async throws
    func delete(id: String, audit: AuditEvent) async throws
}

public protocol AuditRepository: Sendable {
    func append(_ event: AuditEvent) async throws
    /// Events in time order, optionally of one gateway and inside `[from, to]`.
    func events(gateway: EUI64?, from: Date?, to: Date?, limit: Int) async throws -> [AuditEvent]
}

public protocol CRLRepository: Sendable {
    /// Stores a CRL if its number is above the stored one for that issuer; returns whether it did.
    func store(_ crl: CRLRecord) async throws -> Bool
    func latest(issuerID: String) async throws -> CRLRecord?
}
