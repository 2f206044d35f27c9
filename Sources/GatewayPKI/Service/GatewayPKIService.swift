import Foundation
import LoRaWAN
import SwiftASN1
import Synchronization
import X509

/// The Gateway PKI's operations, as the API and the CLI call them: certificate authorities, gateways,
/// certificates, revocation, the CRL and the audit trail.
///
/// Every change is one storage transaction with its audit event; a revocation updates the live
/// `RevocationState` right after its transaction commits and regenerates the CRL, so the next
/// handshake already refuses the certificate.
public final class GatewayPKIService: Sendable {
    public let revocation: RevocationState
    private let store: PKIStore
    private let issuances: IssuanceRecorder
    private let clock: @Sendable () -> Date
    private let crlLifetime: TimeInterval
    private let issuing: Mutex<IssuingAuthority?>
    private let crlRefresh = Mutex(CRLRefresh())
    private let gatewayDeletionObservers = Mutex<[@Sendable (EUI64) -> Void]>([])
    private let authorityObservers = Mutex<[@Sendable ([AuthorityRecord]) -> Void]>([])
    /// How far ``followRevocations(every:)`` has read; starts at open.
    private let revocationsReadSince: Mutex<Date>
    /// How far ``followRevocations(every:)`` has read the audit log for deletions, and which it announced.
    private let deletionFollowing: Mutex<GatewayDeletionFollowing>
    private let crlCoalescingDelay: Duration = .seconds(1)

    /// Whether the stored CRL lists every revocation. A revocation marks it stale and one background
    /// task regenerates it, once for however many revocations arrived meanwhile; a read of a stale CRL
    /// regenerates it first. So every revocation reaches the CRL, and a burst of re-issues costs one CRL
    /// signature rather than one each.
    private struct CRLRefresh {
        var stale = false
        var running = false
        /// How long the last background regeneration took. The next one waits at least ten times as
        /// long, so while revocations keep coming (a fleet re-issue) a CRL of many entries takes at
        /// most a tenth of a core from the issuances that revoke into it.
        var lastDuration: Duration = .zero
    }

    /// What one CRL regeneration hands the next: the entries' encodings, and the last CRL number
    /// stored per issuer (a guess: storing fails if another instance went higher, and it is re-read).
    private struct CRLMaking {
        var encodings = CRLEntryEncodings()
        var lastNumber: [String: Int64] = [:]
    }
    private let crlMaking = Mutex(CRLMaking())

    /// Loads the authorities and the revoked serials from storage.
    /// - Parameters:
    ///   - clock: the one clock the PKI reads.
    ///   - crlLifetime: time between a CRL's thisUpdate and nextUpdate; a CRL older than half of it is
    ///     regenerated when read.
    public static func open(store: PKIStore, clock: @escaping @Sendable () -> Date = Date.init, crlLifetime: TimeInterval = 7 * 86_400) async throws -> GatewayPKIService {
        let authorities = try await store.authorities.authorities()
        let revoked = try await store.certificates.revokedSerials()
        return GatewayPKIService(
            store: store, clock: clock, crlLifetime: crlLifetime, issuing: try IssuingAuthority.select(from: authorities),
            revocation: RevocationState(revokedSerials: revoked))
    }

    private init(store: PKIStore, clock: @escaping @Sendable () -> Date, crlLifetime: TimeInterval, issuing: IssuingAuthority?, revocation: RevocationState) {
        self.store = store
        self.issuances = IssuanceRecorder(repository: store.certificates)
        self.clock = clock
        self.crlLifetime = crlLifetime
        self.issuing = Mutex(issuing)
        self.revocation = revocation
        self.revocationsReadSince = Mutex(clock())
        self.deletionFollowing = Mutex(GatewayDeletionFollowing(readSince: clock()))
    }

    // MARK: Certificate authorities

    /// Creates the root and issuing CAs (`gatehouse ca init`). Refuses when an issuing CA exists.
    @discardableResult
    public func initializeAuthority(commonName: String = "Gatehouse", organization: String? = nil, keyType: CertificateAuthorityKeyType = .p256, actor: String) async throws -> RootAndIssuingAuthorities {
        guard issuing.withLock({ $0 == nil }) else { throw PKIError.authorityAlreadyInitialized }
        let now = clock()
        let created: RootAndIssuingAuthorities
        do { created = try CertificateAuthorities.makeRootAndIssuing(commonName: commonName, organization: organization, keyType: keyType, now: now) } catch {
            throw PKIError.authority(error)
        }
        try await store.authorities.save(created.root, audit: AuditEvent(time: now, actor: actor, action: .caCreated, fingerprintSHA256: created.root.id, detail: "root CA \(keyType)"))
        try await store.authorities.save(created.issuing, audit: AuditEvent(time: now, actor: actor, action: .caCreated, fingerprintSHA256: created.issuing.id, detail: "issuing CA \(keyType)"))
        try await reloadIssuingAuthority()
        _ = try await regenerateCRL(at: now)
        try await authoritiesChanged()
        return created
    }

    /// Imports an operator's CA to sign gateway certificates from now on.
    @discardableResult
    public func importAuthority(certificatePEM: String, privateKeyPEM: String, actor: String) async throws -> AuthorityRecord {
        let now = clock()
        let imported: ImportedIssuingAuthority
        do { imported = try CertificateAuthorities.importIssuingCA(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM, now: now) } catch {
            throw PKIError.authorityImport(error)
        }
        try await store.authorities.save(imported.authority, audit: AuditEvent(time: now, actor: actor, action: .caImported, fingerprintSHA256: imported.authority.id, detail: "issuing CA imported"))
        try await reloadIssuingAuthority()
        _ = try await regenerateCRL(at: now)
        try await authoritiesChanged()
        return imported.authority
    }

    /// Trusts a gateway vendor's CA for verification only.
    @discardableResult
    public func trustVendorAuthority(certificatePEM: String, actor: String) async throws -> AuthorityRecord {
        let now = clock()
        let record: AuthorityRecord
        do { record = try CertificateAuthorities.trustVendorCA(certificatePEM: certificatePEM, now: now) } catch {
            throw PKIError.authorityImport(error)
        }
        try await store.authorities.save(record, audit: AuditEvent(time: now, actor: actor, action: .vendorCATrusted, fingerprintSHA256: record.id, detail: "vendor CA trusted"))
        try await authoritiesChanged()
        return record
    }

    /// Stops trusting a vendor CA.
    public func removeVendorAuthority(id: String, actor: String) async throws {
        guard let record = try await store.authorities.authority(id: id.lowercased()), record.role == .vendor else {
            throw PKIError.authorityNotFound(id)
        }
        try await store.authorities.delete(id: record.id, audit: AuditEvent(time: clock(), actor: actor, action: .vendorCARemoved, fingerprintSHA256: record.id))
        try await authoritiesChanged()
    }

    /// Adds an observer told of the CAs (without keys) after each change (the gateway listener's trust
    /// store follows it). Must not block.
    public func observeAuthorityChanges(_ observer: @escaping @Sendable ([AuthorityRecord]) -> Void) {
        authorityObservers.withLock { $0.append(observer) }
    }

    private func authoritiesChanged() async throws {
        let observers = authorityObservers.withLock { $0 }
        guard !observers.isEmpty else { return }
        let current = try await authorities()
        for observer in observers { observer(current) }
    }

    /// Returns the root CA's key as PEM and, when `remove` is set, deletes it from storage (offline root).
    public func exportRootKey(remove: Bool, actor: String) async throws -> PrivateKeyPEM {
        guard let root = try await store.authorities.authorities().first(where: { $0.role == .root && $0.privateKey != nil }) else {
            throw PKIError.invalidField(field: "root", reason: "no root CA key is held (it may already be offline)")
        }
        let pem: PrivateKeyPEM
        do { pem = try CertificateAuthorities.exportRootPrivateKey(root) } catch { throw PKIError.authority(error) }
        let now = clock()
        if remove {
            try await store.authorities.removePrivateKey(id: root.id, audit: AuditEvent(time: now, actor: actor, action: .caRootKeyRemoved, fingerprintSHA256: root.id, detail: "root key exported and removed"))
        } else {
            try await store.audit.append(AuditEvent(time: now, actor: actor, action: .caRootKeyExported, fingerprintSHA256: root.id, detail: "root key exported"))
        }
        return pem
    }

    /// Every CA Gatehouse knows (never their keys).
    public func authorities() async throws -> [AuthorityRecord] {
        try await store.authorities.authorities().map { var r = $0; r.privateKey = nil; return r }
    }

    /// CA certificates a gateway certificate may chain to: Gatehouse's own and the vendors'.
    public func trustedAuthorityCertificates() async throws -> [Certificate] {
        try await store.authorities.authorities().compactMap { try? Certificate(derEncoded: $0.certificateDER) }
    }

    private func reloadIssuingAuthority() async throws {
        let selected = try IssuingAuthority.select(from: try await store.authorities.authorities())
        issuing.withLock { $0 = selected }
    }

    // MARK: Gateways

    @discardableResult
    public func registerGateway(eui: EUI64, name: String, network: String, location: GatewayLocation?, frequencyPlan: Region, actor: String) async throws -> GatewayRecord {
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmedName.count) else { throw PKIError.invalidField(field: "name", reason: "must be 1 to 100 characters") }
        let trimmedNetwork = network.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmedNetwork.count) else { throw PKIError.invalidField(field: "network", reason: "must be 1 to 100 characters") }
        let now = clock()
        let record = GatewayRecord(eui: eui, name: trimmedName, network: trimmedNetwork, location: location, frequencyPlan: frequencyPlan, createdAt: now)
        let audit = AuditEvent(time: now, actor: actor, action: .gatewayRegistered, gatewayEUI: eui, detail: "\(trimmedName) in \(trimmedNetwork), \(frequencyPlan.rawValue)")
        guard try await store.gateways.insert(record, audit: audit) == .inserted else { throw PKIError.duplicateGateway(eui) }
        return record
    }

    public func gateway(_ eui: EUI64) async throws -> GatewayRecord {
        guard let record = try await store.gateways.gateway(eui) else { throw PKIError.gatewayNotFound(eui) }
        return record
    }

    public func gateways(network: String? = nil) async throws -> [GatewayRecord] {
        try await store.gateways.gateways(network: network)
    }

    /// Deletes a gateway and revokes its certificates (cessationOfOperation) at once.
    public func deleteGateway(_ eui: EUI64, actor: String) async throws {
        let now = clock()
        guard let revoked = try await store.gateways.delete(eui, at: now, audit: AuditEvent(time: now, actor: actor, action: .gatewayDeleted, gatewayEUI: eui)) else {
            throw PKIError.gatewayNotFound(eui)
        }
        revocation.markRevoked(serials: revoked.map(\.serial))
        if !revoked.isEmpty { crlIsStale() }
        deletionFollowing.withLock { $0.deletedHere(eui, at: now) }
        for observer in gatewayDeletionObservers.withLock({ $0 }) { observer(eui) }
    }

    /// Adds an observer told of each deleted gateway, after its deletion committed (the gateway server
    /// closes its connections, including those authenticated by a vendor's certificate, and forgets
    /// the gateway it held as registered). Deletions made through this service are told at once;
    /// those made by others (the CLI, other instances) within a period of ``followRevocations(every:)``,
    /// each once. Must not block.
    public func observeGatewayDeletions(_ observer: @escaping @Sendable (EUI64) -> Void) {
        gatewayDeletionObservers.withLock { $0.append(observer) }
    }

    // MARK: Certificates

    /// Issues a certificate with a key Gatehouse generates now. The key is in the result only.
    public func issueCertificate(for eui: EUI64, keyType: GatewayKeyType = .p256, validityDays: Int = GatewayCertificateProfile.defaultValidityDays, actor: String) async throws -> GatewayCredentials {
        // An EC key and its signature cost less than a registry lookup, and storing the certificate
        // refuses an unknown gateway anyway; an RSA key can take a second to make, so an unknown
        // gateway is refused before one is made.
        let current = try await issuingAuthority(for: eui, lookUpFirst: keyType.isRSA)
        let now = clock()
        let credentials: GatewayCredentials
        do { credentials = try current.issuer.issueWithServerKey(for: eui, keyType: keyType, validityDays: validityDays, now: now) } catch {
            throw PKIError.issuance(error)
        }
        try await record(credentials.certificate.record, actor: actor, now: now)
        return credentials
    }

    /// Issues a certificate for the key in the gateway's CSR.
    public func issueCertificate(for eui: EUI64, certificationRequest: [UInt8], validityDays: Int = GatewayCertificateProfile.defaultValidityDays, actor: String) async throws -> IssuedGatewayCertificate {
        let current = try await issuingAuthority(for: eui)
        let now = clock()
        let issued: IssuedGatewayCertificate
        do { issued = try current.issuer.issue(for: eui, certificationRequest: certificationRequest, validityDays: validityDays, now: now) } catch {
            throw PKIError.issuance(error)
        }
        try await record(issued.record, actor: actor, now: now)
        return issued
    }

    // MARK: Station credentials delivered by CUPS

    /// Issues a certificate (with a key Gatehouse generates) to be delivered to a station inside a
    /// CUPS credential blob. It is valid at once but does not supersede the gateway's current
    /// certificate until ``confirmDelivery(serial:actor:)``; it revokes an earlier delivery the station
    /// never confirmed.
    /// - Parameter credentialsCRC: the CRC-32 of the blob the credentials will travel in, computed
    ///   from them before anything is stored: the station reports it once installed.
    public func issueForDelivery(
        for eui: EUI64, validityDays: Int = GatewayCertificateProfile.defaultValidityDays, actor: String,
        credentialsCRC: (GatewayCredentials) throws -> UInt32
    ) async throws -> GatewayCredentials {
        let current = try await issuingAuthority(for: eui, lookUpFirst: false)
        let now = clock()
        let credentials: GatewayCredentials
        do { credentials = try current.issuer.issueWithServerKey(for: eui, keyType: .p256, validityDays: validityDays, now: now) } catch {
            throw PKIError.issuance(error)
        }
        var certificate = credentials.certificate.record
        certificate.delivery = StationDelivery(credentialsCRC: try credentialsCRC(credentials))
        try await record(certificate, actor: actor, now: now)
        return credentials
    }

    /// The gateway's delivered certificate still awaiting the station's confirmation, if any.
    public func awaitingConfirmation(of eui: EUI64) async throws -> CertificateRecord? {
        try await store.certificates.awaitingConfirmation(gateway: eui)
    }

    /// The station showed it installed a delivered certificate: it becomes the gateway's current one
    /// and the older ones are revoked (superseded). Returns whether anything was confirmed.
    @discardableResult
    public func confirmDelivery(serial: String, actor: String) async throws -> Bool {
        let now = clock()
        let audit = AuditEvent(time: now, actor: actor, action: .certificateConfirmed, serial: serial, detail: "the station installed the delivered credentials")
        guard let superseded = try await store.certificates.confirmDelivery(serial: serial, at: now, audit: audit) else { return false }
        if !superseded.isEmpty {
            revocation.markRevoked(serials: superseded.map(\.serial))
            crlIsStale()
        }
        return true
    }

    /// Issues a TLS server certificate for Gatehouse's gateway listeners (CUPS and LNS) under the
    /// issuing CA. The key is in the result only; the event is audited.
    public func issueServerCertificate(names: [String], validityDays: Int, actor: String) async throws -> ServerCredentials {
        guard let current = issuing.withLock({ $0 }) else { throw PKIError.noIssuingAuthority }
        let now = clock()
        let credentials: ServerCredentials
        do { credentials = try current.issuer.issueServerCertificate(names: names, validityDays: validityDays, now: now) } catch {
            throw PKIError.issuance(error)
        }
        let serial = credentials.certificateChain.first.map { CertificateEncoding.serialHex($0.serialNumber) }
        try await store.audit.append(AuditEvent(
            time: now, actor: actor, action: .serverCertificateIssued, serial: serial, detail: "gateway listener certificate for \(names.joined(separator: ", "))"))
        return credentials
    }

    /// Issues a client certificate for a back-end peer of the Join Server (CN `ns:<NetID>` or
    /// `as:<AS-ID>`); the key is returned once. Audited like the listeners' server certificates.
    public func issueBackendClientCertificate(commonName: String, validityDays: Int, actor: String) async throws -> ServerCredentials {
        guard let current = issuing.withLock({ $0 }) else { throw PKIError.noIssuingAuthority }
        let now = clock()
        let credentials: ServerCredentials
        do { credentials = try current.issuer.issueBackendClientCertificate(commonName: commonName, validityDays: validityDays, now: now) } catch {
            throw PKIError.issuance(error)
        }
        let leaf = credentials.certificateChain.first
        try await store.audit.append(AuditEvent(
            time: now, actor: actor, action: .backendClientCertificateIssued, serial: leaf.map { CertificateEncoding.serialHex($0.serialNumber) },
            fingerprintSHA256: leaf.flatMap { try? CertificateEncoding.der(of: $0) }.map(CertificateEncoding.fingerprintSHA256(der:)), detail: "Backend Interfaces client certificate for \(commonName)"))
        return credentials
    }

    /// The CA to sign with; with `lookUpFirst`, also checks the gateway is registered before any
    /// work is done (storing the certificate checks it again in its transaction in every case).
    private func issuingAuthority(for eui: EUI64, lookUpFirst: Bool = true) async throws -> IssuingAuthority {
        guard let current = issuing.withLock({ $0 }) else { throw PKIError.noIssuingAuthority }
        if lookUpFirst, try await store.gateways.gateway(eui) == nil { throw PKIError.gatewayNotFound(eui) }
        return current
    }

    /// Stores the certificate; earlier ones of the gateway are revoked (superseded) in the same transaction.
    /// A CUPS delivery supersedes only an earlier unconfirmed delivery (see ``issueForDelivery``).
    private func record(_ certificate: CertificateRecord, actor: String, now: Date) async throws {
        let delivered = certificate.delivery == nil ? "" : ", delivered by CUPS, awaiting the station's confirmation"
        let issued = AuditEvent(
            time: now, actor: actor, action: .certificateIssued, gatewayEUI: certificate.gatewayEUI, serial: certificate.serial,
            fingerprintSHA256: certificate.fingerprintSHA256, detail: "\(certificate.keyAlgorithm), key from \(certificate.keySource.rawValue)\(delivered)")
        let outcome = try await issuances.record(CertificateIssuance(certificate: certificate, time: now, audit: [issued]))
        guard case .recorded(let superseded) = outcome else { throw PKIError.gatewayNotFound(certificate.gatewayEUI) }
        guard !superseded.isEmpty else { return }
        revocation.markRevoked(serials: superseded.map(\.serial))
        crlIsStale()
    }

    /// Revokes a certificate with an RFC 5280 reason. Revoking twice is idempotent: the first
    /// revocation stands and is returned.
    @discardableResult
    public func revoke(serial: String, reason: CRLReason, actor: String) async throws -> CertificateRecord {
        let normalized = serial.lowercased().filter { $0 != ":" }
        guard !normalized.isEmpty, normalized.allSatisfy(\.isHexDigit) else {
            throw PKIError.invalidField(field: "serial", reason: "must be hexadecimal")
        }
        guard reason != .removeFromCRL else { throw PKIError.invalidField(field: "reason", reason: "removeFromCRL is only for delta CRLs") }
        let now = clock()
        let existing = try await store.certificates.certificate(serial: normalized)
        let audit = AuditEvent(
            time: now, actor: actor, action: .certificateRevoked, gatewayEUI: existing?.gatewayEUI, serial: normalized,
            fingerprintSHA256: existing?.fingerprintSHA256, detail: "reason \(reason)")
        switch try await store.certificates.revoke(serial: normalized, reason: reason, at: now, audit: audit) {
        case .notFound:
            throw PKIError.certificateNotFound(serial: normalized)
        case .alreadyRevoked(let record):
            return record
        case .revoked(let record):
            revocation.markRevoked(serials: [record.serial])
            crlIsStale()
            return record
        }
    }

    public func certificate(serial: String) async throws -> CertificateRecord {
        guard let record = try await store.certificates.certificate(serial: serial.lowercased()) else {
            throw PKIError.certificateNotFound(serial: serial)
        }
        return record
    }

    /// A gateway's certificates, newest first.
    public func certificates(of eui: EUI64) async throws -> [CertificateRecord] {
        _ = try await gateway(eui)
        return try await store.certificates.certificates(gateway: eui)
    }

    /// The certificate a gateway should be using now: the newest valid one.
    public func currentCertificate(of eui: EUI64) async throws -> CertificateRecord? {
        let now = clock()
        return try await certificates(of: eui).first { $0.isValid(at: now) }
    }

    // MARK: Revocations made elsewhere

    /// Reads revocations committed by others (the CLI on the same SQLite file, other instances on
    /// PostgreSQL) into the live state until cancelled, so they apply to handshakes and close live
    /// connections within one period. Revocations made through this service apply at once anyway.
    ///
    /// Gateway deletions made by others are followed alike (``readGatewayDeletions()``): a deletion
    /// revokes the certificates Gatehouse issued to the gateway, but not a vendor's, so the gateway
    /// server must hear of the deletion itself.
    public func followRevocations(every period: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: period)
            try? await readRevocations()
            try? await readGatewayDeletions()
        }
    }

    /// One poll of ``followRevocations(every:)``.
    public func readRevocations() async throws {
        // Re-read a little before the last revocation seen: a transaction that took its timestamp
        // earlier may have committed later. Marking a serial twice is harmless.
        let since = revocationsReadSince.withLock { $0 }.addingTimeInterval(-5)
        let found = try await store.certificates.revocations(since: since)
        guard let latest = found.last?.time else { return }
        revocationsReadSince.withLock { $0 = max($0, latest) }
        let before = revocation.count
        revocation.markRevoked(serials: found.map(\.serial))
        if revocation.count != before { crlIsStale() }
    }

    /// One poll of the deletions of ``followRevocations(every:)``: tells the deletion observers of
    /// gateways deleted by others since the last poll, each once, by reading `gateway.deleted` audit
    /// events (a deleted row leaves nothing else to read).
    public func readGatewayDeletions() async throws {
        let pageSize = 1000
        let startedAt = clock()
        var from = deletionFollowing.withLock { $0.pollFrom }
        while true {
            let page = try await store.audit.events(gateway: nil, from: from, to: nil, limit: pageSize)
            let deleted = deletionFollowing.withLock { $0.news(in: page) }
            if !deleted.isEmpty {
                let observers = gatewayDeletionObservers.withLock { $0 }
                for eui in deleted { for observer in observers { observer(eui) } }
            }
            // A full page continues from its last time; events of that same microsecond are read twice, once announced.
            guard page.count == pageSize, let last = page.last?.time, last > from else { break }
            from = last
        }
        deletionFollowing.withLock { $0.polled(startedAt: startedAt) }
    }

    // MARK: CRL and audit

    /// The issuing CA's current CRL: regenerated first when a revocation is not in it yet, or when it is
    /// older than half its lifetime.
    public func currentCRL() async throws -> CRLRecord {
        guard let current = issuing.withLock({ $0 }) else { throw PKIError.noIssuingAuthority }
        let now = clock()
        let wasStale = crlRefresh.withLock { state in
            defer { state.stale = false }
            return state.stale
        }
        if !wasStale, let stored = try await store.crls.latest(issuerID: current.record.id),
            now < stored.thisUpdate.addingTimeInterval(crlLifetime / 2)
        {
            return stored
        }
        do {
            return try await regenerateCRL(at: now)
        } catch {
            crlRefresh.withLock { $0.stale = $0.stale || wasStale }
            throw error
        }
    }

    /// Marks the CRL stale and starts the background regeneration unless one is running.
    private func crlIsStale() {
        let start = crlRefresh.withLock { state -> Bool in
            state.stale = true
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if start { Task { await self.refreshCRLWhileStale() } }
    }

    private func refreshCRLWhileStale() async {
        while true {
            // Gather the revocations of a burst (a fleet re-issue) into one CRL; a read does not wait for this.
            let pause = crlRefresh.withLock { max(crlCoalescingDelay, $0.lastDuration * 10) }
            try? await Task.sleep(for: pause)
            guard crlRefresh.withLock({ state -> Bool in
                guard state.stale else {
                    state.running = false
                    return false
                }
                state.stale = false
                return true
            }) else { return }
            let started = ContinuousClock.now
            do {
                _ = try await regenerateCRL(at: clock())
            } catch {
                // Left stale: the next read of the CRL regenerates it and reports the failure.
                crlRefresh.withLock {
                    $0.stale = true
                    $0.running = false
                }
                return
            }
            let duration = ContinuousClock.now - started
            crlRefresh.withLock { $0.lastDuration = duration }
        }
    }

    /// Signs and stores a new CRL for the issuing CA. Concurrent regenerations race on the CRL number;
    /// the loser retries with the next one, so numbers stay strictly increasing.
    private func regenerateCRL(at now: Date) async throws -> CRLRecord {
        guard let current = issuing.withLock({ $0 }) else { throw PKIError.noIssuingAuthority }
        let issuerID = current.record.id
        // Taken, not shared: a concurrent regeneration starts from no encodings, which is only slower.
        var encodings = crlMaking.withLock { making in
            defer { making.encodings = CRLEntryEncodings() }
            return making.encodings
        }
        defer { crlMaking.withLock { $0.encodings = encodings } }
        var guessedNumber = crlMaking.withLock { $0.lastNumber[issuerID] }.map { $0 + 1 }
        for _ in 0..<8 {
            let number: Int64
            if let guessedNumber { number = guessedNumber } else { number = (try await store.crls.latest(issuerID: issuerID)?.number ?? 0) + 1 }
            let revoked = try await store.certificates.revokedCertificates(issuerID: issuerID, notExpiredAt: now)
            let der = try CRLEncoder.makeCRL(
                listed: revoked, encodings: &encodings, number: number, thisUpdate: now, nextUpdate: now.addingTimeInterval(crlLifetime),
                signer: current.signer)
            let crl = CRLRecord(issuerID: issuerID, number: number, thisUpdate: now, nextUpdate: now.addingTimeInterval(crlLifetime), der: der)
            if try await store.crls.store(crl) {
                crlMaking.withLock { $0.lastNumber[issuerID] = max($0.lastNumber[issuerID] ?? 0, number) }
                return crl
            }
            // Another regeneration (here or in another instance) stored this number or a higher one.
            guessedNumber = nil
        }
        throw PKIError.invalidField(field: "crl", reason: "could not store a CRL after repeated number conflicts")
    }

    public func auditEvents(gateway: EUI64? = nil, from: Date? = nil, to: Date? = nil, limit: Int = 1000) async throws -> [AuditEvent] {
        guard (1...10_000).contains(limit) else { throw PKIError.invalidField(field: "limit", reason: "must be 1 to 10000") }
        if let from, let to, from > to { throw PKIError.invalidField(field: "from", reason: "must not be after 'to'") }
        return try await store.audit.events(gateway: gateway, from: from, to: to, limit: limit)
    }
}
