import BackendInterfaces
import Foundation
import LoRaWAN
import Logging

/// What operators and device owners do with the Join Server's devices: register them with root keys
/// (write-only), import manufacturer batches, claim, reset a lost DevNonce counter, move a device to
/// another Join Server, manage master keys and peer KEKs. Each change is audited.
///
/// Nothing here returns a root key: reads give a ``JoinDeviceSummary``, and an export gives the keys
/// only wrapped under a KEK the caller supplies.
public final class JoinDeviceRegistry: Sendable {
    private let devices: any JoinDeviceRepository
    private let keys: any JoinKeyRepository
    private let keyring: JoinKeyring
    private let claims: ClaimAttemptLimiter
    private let clock: @Sendable () -> Date
    private let logger: Logger

    public init(joinServer: JoinServer, keys: any JoinKeyRepository, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        devices = joinServer.devices
        self.keys = keys
        keyring = joinServer.keyring
        claims = ClaimAttemptLimiter()
        self.clock = clock
        self.logger = logger
    }

    // MARK: Devices

    /// Registers a device. Root keys are optional: a master key may cover its JoinEUI, or they are set later.
    public func create(_ request: NewJoinDevice, actor: String) async throws -> JoinDeviceSummary {
        if let rootKeys = request.rootKeys, !rootKeys.fit(request.macVersion) {
            throw JoinRegistryError.rootKeysDoNotFit(request.macVersion)
        }
        let now = clock()
        let device = JoinDevice(
            devEUI: request.devEUI, joinEUI: request.joinEUI, macVersion: request.macVersion, rootKeys: request.rootKeys,
            owner: request.owner, homeNetID: request.homeNetID, applicationServerID: request.applicationServerID, createdAt: now)
        let audit = DeviceAuditEvent(
            time: now, actor: actor, action: .deviceCreated, devEUI: device.devEUI,
            detail: "LoRaWAN \(device.macVersion), JoinEUI \(device.joinEUI), \(request.rootKeys == nil ? "no root keys" : "root keys set")")
        guard try await devices.insert(device, audit: audit) == .inserted else { throw JoinRegistryError.duplicate(device.devEUI) }
        return summary(device)
    }

    public func device(_ devEUI: EUI64) async throws -> JoinDeviceSummary {
        summary(try await existing(devEUI))
    }

    public func devices(owner: String?, limit: Int = 100, after: EUI64? = nil) async throws -> [JoinDeviceSummary] {
        try await devices.devices(owner: owner, limit: min(max(limit, 1), 1000), after: after).map(summary)
    }

    /// Replaces the root keys (write-only: there is no way to read them back).
    public func setRootKeys(_ devEUI: EUI64, _ rootKeys: RootKeys, actor: String) async throws -> JoinDeviceSummary {
        var device = try await existing(devEUI)
        guard rootKeys.fit(device.macVersion) else { throw JoinRegistryError.rootKeysDoNotFit(device.macVersion) }
        device.rootKeys = rootKeys
        try await store(device, DeviceAuditEvent(time: clock(), actor: actor, action: .rootKeysSet, devEUI: devEUI, detail: "root keys replaced"))
        return summary(device)
    }

    /// Changes who may activate the device and where its AppSKey goes.
    public func setRouting(_ devEUI: EUI64, homeNetID: NetID?, applicationServerID: ApplicationServerID?, actor: String) async throws -> JoinDeviceSummary {
        var device = try await existing(devEUI)
        device.homeNetID = homeNetID
        device.applicationServerID = applicationServerID
        try await store(device, DeviceAuditEvent(
            time: clock(), actor: actor, action: .deviceUpdated, devEUI: devEUI,
            detail: "home NetID \(homeNetID.map(String.init(describing:)) ?? "any"), AS \(applicationServerID?.rawValue ?? "none")"))
        return summary(device)
    }

    public func delete(_ devEUI: EUI64, actor: String) async throws {
        let audit = DeviceAuditEvent(time: clock(), actor: actor, action: .deviceDeleted, devEUI: devEUI)
        guard try await devices.delete(devEUI, audit: audit) else { throw JoinRegistryError.notFound(devEUI) }
    }

    /// Lets a device whose DevNonce counter was lost (a 1.0.4/1.1 device reset to 0, a 1.0.x device
    /// whose random nonces came round again) join again. JoinNonce keeps counting, so no join-accept repeats.
    public func resetDevNonces(_ devEUI: EUI64, actor: String, reason: String) async throws {
        let audit = DeviceAuditEvent(time: clock(), actor: actor, action: .devNoncesReset, devEUI: devEUI, detail: reason)
        guard try await devices.resetDevNonces(devEUI, audit: audit) else { throw JoinRegistryError.notFound(devEUI) }
        logger.notice("DevNonce history reset", metadata: ["dev_eui": "\(devEUI)", "actor": "\(actor)"])
    }

    public func auditEvents(devEUI: EUI64?, limit: Int = 100) async throws -> [DeviceAuditEvent] {
        try await devices.auditEvents(devEUI: devEUI, limit: min(max(limit, 1), 1000))
    }

    // MARK: Manufacturer batches and claiming

    /// Imports a manufacturer's batch as unowned, claimable devices: all or nothing.
    /// - Parameter keks: the KEKs the batch's wrapped root keys are under (not stored).
    public func importBatch(_ batch: [ManufacturerDevice], keks: KEKRing, actor: String) async throws -> Int {
        let now = clock()
        var imported: [JoinDevice] = []
        imported.reserveCapacity(batch.count)
        for entry in batch {
            let rootKeys: RootKeys?
            do {
                rootKeys = try entry.rootKeys(unwrappingWith: keks)
            } catch {
                throw JoinRegistryError.unwrapFailed(entry.devEUI, error.description)
            }
            imported.append(JoinDevice(
                devEUI: entry.devEUI, joinEUI: entry.joinEUI, macVersion: entry.macVersion, rootKeys: rootKeys, owner: nil,
                claimCodeHash: entry.claimCodeHash, createdAt: now))
        }
        let audit = DeviceAuditEvent(time: now, actor: actor, action: .deviceImported, devEUI: nil, detail: "\(batch.count) devices imported")
        let duplicates = try await devices.insertBatch(imported, audit: audit)
        guard duplicates.isEmpty else { throw JoinRegistryError.duplicates(duplicates) }
        return imported.count
    }

    /// Claims an imported device for `owner` with the code printed on it. Wrong codes are limited per
    /// claimant and per device, and logged.
    public func claim(devEUI: EUI64, joinEUI: EUI64, code: ClaimCode, owner: String) async throws -> JoinDeviceSummary {
        let now = clock()
        guard claims.permits(claimant: owner, device: devEUI, at: now) else {
            logger.warning("claim refused: too many wrong codes", metadata: ["dev_eui": "\(devEUI)", "claimant": "\(owner)"])
            throw JoinRegistryError.claimRateLimited
        }
        let audit = DeviceAuditEvent(time: now, actor: "claim:\(owner)", action: .deviceClaimed, devEUI: devEUI)
        let outcome = try await devices.claim(devEUI, joinEUI: joinEUI, claimCodeHash: code.hash(joinEUI: joinEUI, devEUI: devEUI), owner: owner, audit: audit)
        switch outcome {
        case .claimed(let device):
            return summary(device)
        case .alreadyOwned, .unknownDevice, .wrongCode:
            claims.recordFailure(claimant: owner, device: devEUI, at: now)
            logger.warning("claim refused", metadata: ["dev_eui": "\(devEUI)", "claimant": "\(owner)", "outcome": "\(outcome)"])
            try await devices.appendAudit(DeviceAuditEvent(
                time: now, actor: "claim:\(owner)", action: .claimRefused, devEUI: devEUI, detail: "\(outcome)"))
            // One answer for all three, so a claimant cannot probe which devices exist or are owned.
            throw JoinRegistryError.claimRefused
        }
    }

    // MARK: Transfer between Join Servers

    /// Exports the device's root keys wrapped under `kek` (shared with the destination Join Server) and
    /// marks the device transferred, so joins here are refused from now on.
    public func transfer(_ devEUI: EUI64, under kek: LabeledKEK, actor: String) async throws -> RootKeyExport {
        var device = try await existing(devEUI)
        guard device.transferredAt == nil else { throw JoinRegistryError.transferred(devEUI) }
        guard let rootKeys = keyring.rootKeys(for: device) else { throw JoinRegistryError.noRootKeys(devEUI) }
        let export = try RootKeyExport.export(
            devEUI: devEUI, joinEUI: device.joinEUI, macVersion: device.macVersion, rootKeys: rootKeys, under: kek)
        device.transferredAt = clock()
        try await store(device, DeviceAuditEvent(
            time: clock(), actor: actor, action: .deviceTransferred, devEUI: devEUI, detail: "root keys exported under \"\(kek.label)\""))
        return export
    }

    /// Registers devices transferred from another Join Server, owned by `owner`.
    public func importTransfers(_ exports: [RootKeyExport], keks: KEKRing, owner: String?, actor: String) async throws -> Int {
        let now = clock()
        var imported: [JoinDevice] = []
        for export in exports {
            let rootKeys: RootKeys
            do {
                rootKeys = try export.rootKeys(with: keks)
            } catch {
                throw JoinRegistryError.unwrapFailed(export.devEUI, error.description)
            }
            imported.append(JoinDevice(
                devEUI: export.devEUI, joinEUI: export.joinEUI, macVersion: export.macVersion, rootKeys: rootKeys, owner: owner, createdAt: now))
        }
        let audit = DeviceAuditEvent(time: now, actor: actor, action: .deviceImported, devEUI: nil, detail: "\(exports.count) devices transferred in")
        let duplicates = try await devices.insertBatch(imported, audit: audit)
        guard duplicates.isEmpty else { throw JoinRegistryError.duplicates(duplicates) }
        return imported.count
    }

    // MARK: Master keys and peer KEKs

    public func addMasterKey(name: String, joinEUIs: ClosedRange<EUI64>, key: MasterKey, actor: String) async throws {
        let now = clock()
        let record = MasterKeyRecord(name: name, joinEUIs: joinEUIs, key: key, createdAt: now)
        let audit = DeviceAuditEvent(time: now, actor: actor, action: .masterKeyAdded, devEUI: nil, detail: "\(name): \(joinEUIs.lowerBound)...\(joinEUIs.upperBound)")
        if case .overlapping(let other) = try await keys.putMasterKey(record, audit: audit) { throw JoinRegistryError.overlappingMasterKey(other) }
        try await keyring.reload()
    }

    public func removeMasterKey(name: String, actor: String) async throws {
        let audit = DeviceAuditEvent(time: clock(), actor: actor, action: .masterKeyRemoved, devEUI: nil, detail: name)
        guard try await keys.removeMasterKey(named: name, audit: audit) else { throw JoinRegistryError.noSuchMasterKey(name) }
        try await keyring.reload()
    }

    /// Master keys by name and range (never the key).
    public func masterKeys() async throws -> [(name: String, joinEUIs: ClosedRange<EUI64>)] {
        try await keys.masterKeys().map { ($0.name, $0.joinEUIs) }
    }

    public func setPeerKEK(_ peer: BackendPeer, _ kek: LabeledKEK, actor: String) async throws {
        let now = clock()
        try await keys.putPeerKEK(PeerKEKRecord(peer: peer, kek: kek, createdAt: now), audit: DeviceAuditEvent(
            time: now, actor: actor, action: .peerKEKSet, devEUI: nil, detail: "\(peer) uses \"\(kek.label)\""))
        try await keyring.reload()
    }

    public func removePeerKEK(_ peer: BackendPeer, actor: String) async throws {
        let audit = DeviceAuditEvent(time: clock(), actor: actor, action: .peerKEKRemoved, devEUI: nil, detail: "\(peer)")
        guard try await keys.removePeerKEK(peer, audit: audit) else { throw JoinRegistryError.noSuchPeer(peer) }
        try await keyring.reload()
    }

    /// Peers and their KEK labels (never the KEK).
    public func peers() async throws -> [(peer: BackendPeer, kekLabel: String)] {
        try await keys.peerKEKs().map { ($0.peer, $0.kek.label) }
    }

    // MARK: Helpers

    private func existing(_ devEUI: EUI64) async throws -> JoinDevice {
        guard let device = try await devices.device(devEUI) else { throw JoinRegistryError.notFound(devEUI) }
        return device
    }

    private func store(_ device: JoinDevice, _ audit: DeviceAuditEvent) async throws {
        guard try await devices.update(device, audit: audit) else { throw JoinRegistryError.notFound(device.devEUI) }
    }

    private func summary(_ device: JoinDevice) -> JoinDeviceSummary {
        let source: RootKeySource =
            if device.rootKeys != nil { .own } else if let name = keyring.masterKeyName(covering: device.joinEUI) { .masterKey(name) } else { .none }
        return JoinDeviceSummary(device: device, rootKeySource: source)
    }
}
