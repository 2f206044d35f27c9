import BackendInterfaces
import Foundation
import LoRaWAN

/// Storage for the Join Server. `Storage` implements it on SQLite and PostgreSQL with the same SQL and
/// seals every key (root keys, master keys, peer KEKs) under the key-encryption key; the Join Server
/// never sees a database. Infrastructure failures are thrown; outcomes are return values.
public protocol JoinDeviceRepository: Sendable {
    /// Stores a new device and its audit event in one transaction; `.duplicate` when the DevEUI exists.
    func insert(_ device: JoinDevice, audit: DeviceAuditEvent) async throws -> DeviceInsertOutcome
    /// Stores a batch of devices (a manufacturer import) in one transaction: all or nothing. Returns the
    /// DevEUIs that already existed (then nothing is stored).
    func insertBatch(_ devices: [JoinDevice], audit: DeviceAuditEvent) async throws -> [EUI64]
    func device(_ devEUI: EUI64) async throws -> JoinDevice?
    /// Several devices in one read (the join path batches concurrent lookups); those that exist, in any order.
    func devices(_ devEUIs: [EUI64]) async throws -> [JoinDevice]
    /// Devices of one owner (or every device when `owner` is nil), ordered by DevEUI.
    func devices(owner: String?, limit: Int, after: EUI64?) async throws -> [JoinDevice]
    /// Replaces the device's record fields other than its nonces (keys, owner, claim code, home NetID,
    /// AS-ID, transfer mark) and appends the audit event. `false` when it does not exist.
    func update(_ device: JoinDevice, audit: DeviceAuditEvent) async throws -> Bool
    /// Claims an unowned device in one transaction when its JoinEUI and claim-code hash match: sets the
    /// owner, clears the claim code, appends the audit event.
    func claim(_ devEUI: EUI64, joinEUI: EUI64, claimCodeHash: [UInt8], owner: String, audit: DeviceAuditEvent) async throws -> ClaimOutcome
    /// Deletes the device with its nonce history and sessions. `false` when it does not exist.
    func delete(_ devEUI: EUI64, audit: DeviceAuditEvent) async throws -> Bool
    /// Decides a batch of joins in one transaction (group commit), each as if alone and in array order
    /// (two attempts for one device: the second sees the first). An accepted attempt has its nonce and
    /// JoinNonce stored, and its session recorded, before this returns.
    func recordJoins(_ attempts: [JoinAttempt], at time: Date) async throws -> [JoinAttemptOutcome]
    /// Forgets the device's DevNonce history and last DevNonce/RJcount1 (it lost its counter), keeping
    /// its JoinNonce so join-accepts still never repeat one. `false` when it does not exist.
    func resetDevNonces(_ devEUI: EUI64, audit: DeviceAuditEvent) async throws -> Bool
    /// The last JoinNonce given to the device, if any.
    func lastJoinNonce(_ devEUI: EUI64) async throws -> JoinNonce?
    func session(devEUI: EUI64, sessionKeyID: [UInt8]) async throws -> JoinSession?
    /// Deletes sessions created before `time` that a newer session of the same device replaced (a
    /// device's newest session is kept however old, so its Application Server can always fetch its
    /// AppSKey again). Returns how many were deleted.
    func pruneSessions(replacedBefore time: Date) async throws -> Int
    /// Audit events of one device (or all when nil), oldest first.
    func auditEvents(devEUI: EUI64?, limit: Int) async throws -> [DeviceAuditEvent]
    /// Appends an audit event on its own (a refused claim).
    func appendAudit(_ event: DeviceAuditEvent) async throws
}

public enum ClaimOutcome: Sendable, Equatable {
    case claimed(JoinDevice)
    /// No device with that DevEUI and JoinEUI (said the same way as a wrong code, to the claimant).
    case unknownDevice
    case alreadyOwned
    case wrongCode
}

public enum DeviceInsertOutcome: Sendable, Equatable {
    case inserted
    case duplicate
}

/// Manufacturer master keys and the KEKs shared with peers, sealed at rest.
public protocol JoinKeyRepository: Sendable {
    /// Adds or replaces (by name) a master key; refuses `.overlapping(name)` when its range overlaps
    /// another key's.
    func putMasterKey(_ record: MasterKeyRecord, audit: DeviceAuditEvent) async throws -> MasterKeyOutcome
    func removeMasterKey(named name: String, audit: DeviceAuditEvent) async throws -> Bool
    func masterKeys() async throws -> [MasterKeyRecord]
    /// Sets (replacing) the KEK for a peer.
    func putPeerKEK(_ record: PeerKEKRecord, audit: DeviceAuditEvent) async throws
    func removePeerKEK(_ peer: BackendPeer, audit: DeviceAuditEvent) async throws -> Bool
    func peerKEKs() async throws -> [PeerKEKRecord]
}

public enum MasterKeyOutcome: Sendable, Equatable {
    case stored
    case overlapping(String)
}
