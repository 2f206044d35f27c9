import BackendInterfaces
import Foundation
import LoRaWAN

/// A device as the Join Server knows it: identity, MAC version, root keys and who may use it.
public struct JoinDevice: Sendable, Equatable {
    public var devEUI: EUI64
    public var joinEUI: EUI64
    public var macVersion: MACVersion
    /// `nil` when the keys come from a manufacturer master key for the JoinEUI's range, or when a
    /// claimable device was imported without keys (it cannot join until it has some).
    public var rootKeys: RootKeys?
    /// The account that claimed or created it; `nil` while it waits to be claimed.
    public var owner: String?
    /// SHA-256 of the claim code of an imported device; cleared once claimed.
    public var claimCodeHash: [UInt8]?
    /// The Network Server allowed to activate it; `nil` lets any authenticated NS do so.
    public var homeNetID: NetID?
    /// The Application Server that receives its AppSKey.
    public var applicationServerID: ApplicationServerID?
    /// Set when its root keys were exported to another Join Server: joins here are refused from then on.
    public var transferredAt: Date?
    public var createdAt: Date

    public init(
        devEUI: EUI64, joinEUI: EUI64, macVersion: MACVersion, rootKeys: RootKeys?, owner: String?,
        claimCodeHash: [UInt8]? = nil, homeNetID: NetID? = nil, applicationServerID: ApplicationServerID? = nil,
        transferredAt: Date? = nil, createdAt: Date
    ) {
        self.devEUI = devEUI
        self.joinEUI = joinEUI
        self.macVersion = macVersion
        self.rootKeys = rootKeys
        self.owner = owner
        self.claimCodeHash = claimCodeHash
        self.homeNetID = homeNetID
        self.applicationServerID = applicationServerID
        self.transferredAt = transferredAt
        self.createdAt = createdAt
    }
}
