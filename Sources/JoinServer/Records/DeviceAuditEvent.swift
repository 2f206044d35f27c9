import Foundation
import LoRaWAN

/// One entry of the Join Server's append-only audit log: who changed what about a device's keys or
/// nonces. Joins themselves are not audited (they are counted); everything an operator does is.
public struct DeviceAuditEvent: Sendable, Equatable {
    public var id: Int64?
    public var time: Date
    /// `cli`, `apikey:<name>`, `claim:<owner>`...
    public var actor: String
    public var action: DeviceAuditAction
    public var devEUI: EUI64?
    /// A short sentence; never key material.
    public var detail: String

    public init(id: Int64? = nil, time: Date, actor: String, action: DeviceAuditAction, devEUI: EUI64?, detail: String = "") {
        self.id = id
        self.time = time
        self.actor = actor
        self.action = action
        self.devEUI = devEUI
        self.detail = detail
    }
}

public enum DeviceAuditAction: String, Sendable, CaseIterable {
    case deviceCreated = "device.created"
    case deviceImported = "device.imported"
    case deviceUpdated = "device.updated"
    case deviceClaimed = "device.claimed"
    case deviceDeleted = "device.deleted"
    case rootKeysSet = "device.root_keys_set"
    case devNoncesReset = "device.dev_nonces_reset"
    case rootKeysExported = "device.root_keys_exported"
    case deviceTransferred = "device.transferred"
    case claimRefused = "device.claim_refused"
    case masterKeyAdded = "master_key.added"
    case masterKeyRemoved = "master_key.removed"
    case peerKEKSet = "peer_kek.set"
    case peerKEKRemoved = "peer_kek.removed"
}
