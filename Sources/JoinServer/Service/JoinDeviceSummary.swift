import BackendInterfaces
import Foundation
import LoRaWAN

/// A device as the API and CLI show it: everything but its keys, and where its keys come from.
public struct JoinDeviceSummary: Sendable, Equatable {
    public var devEUI: EUI64
    public var joinEUI: EUI64
    public var macVersion: MACVersion
    public var rootKeySource: RootKeySource
    public var owner: String?
    public var claimable: Bool
    public var homeNetID: NetID?
    public var applicationServerID: ApplicationServerID?
    public var transferredAt: Date?
    public var createdAt: Date

    init(device: JoinDevice, rootKeySource: RootKeySource) {
        devEUI = device.devEUI
        joinEUI = device.joinEUI
        macVersion = device.macVersion
        self.rootKeySource = rootKeySource
        owner = device.owner
        claimable = device.owner == nil && device.claimCodeHash != nil
        homeNetID = device.homeNetID
        applicationServerID = device.applicationServerID
        transferredAt = device.transferredAt
        createdAt = device.createdAt
    }
}

/// Where a device's root keys come from.
public enum RootKeySource: Sendable, Equatable, CustomStringConvertible {
    /// Set for this device (API, CLI, batch import or transfer).
    case own
    /// Derived from the named manufacturer master key.
    case masterKey(String)
    /// None: the device cannot join until keys are set.
    case none

    public var description: String {
        switch self {
        case .own: "own"
        case .masterKey(let name): "master key \(name)"
        case .none: "none"
        }
    }
}

/// A new device for ``JoinDeviceRegistry/create(_:actor:)``.
public struct NewJoinDevice: Sendable {
    public var devEUI: EUI64
    public var joinEUI: EUI64
    public var macVersion: MACVersion
    public var rootKeys: RootKeys?
    public var owner: String?
    public var homeNetID: NetID?
    public var applicationServerID: ApplicationServerID?

    public init(
        devEUI: EUI64, joinEUI: EUI64, macVersion: MACVersion, rootKeys: RootKeys?, owner: String?, homeNetID: NetID? = nil,
        applicationServerID: ApplicationServerID? = nil
    ) {
        self.devEUI = devEUI
        self.joinEUI = joinEUI
        self.macVersion = macVersion
        self.rootKeys = rootKeys
        self.owner = owner
        self.homeNetID = homeNetID
        self.applicationServerID = applicationServerID
    }
}

/// Why a registry operation was refused. Never carries key material.
public enum JoinRegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(EUI64)
    case duplicate(EUI64)
    case duplicates([EUI64])
    case rootKeysDoNotFit(MACVersion)
    case noRootKeys(EUI64)
    case transferred(EUI64)
    case unwrapFailed(EUI64, String)
    case claimRefused
    case claimRateLimited
    case overlappingMasterKey(String)
    case noSuchMasterKey(String)
    case noSuchPeer(BackendPeer)

    public var description: String {
        switch self {
        case .notFound(let eui): "no device \(eui)"
        case .duplicate(let eui): "device \(eui) already exists"
        case .duplicates(let euis): "\(euis.count) devices already exist (first: \(euis.first.map(String.init(describing:)) ?? "-")); nothing was imported"
        case .rootKeysDoNotFit(let version):
            version.hasSeparateNetworkRootKey
                ? "a LoRaWAN 1.1 device needs both NwkKey and AppKey" : "a LoRaWAN \(version) device has one root key, AppKey"
        case .noRootKeys(let eui): "device \(eui) has no root keys"
        case .transferred(let eui): "device \(eui) was already transferred to another Join Server"
        case .unwrapFailed(let eui, let reason): "the root keys of \(eui) do not unwrap: \(reason)"
        case .claimRefused: "no unclaimed device has that DevEUI, JoinEUI and claim code"
        case .claimRateLimited: "too many wrong claim codes; try again later"
        case .overlappingMasterKey(let name): "the JoinEUI range overlaps master key \(name)"
        case .noSuchMasterKey(let name): "no master key \(name)"
        case .noSuchPeer(let peer): "no KEK is configured for \(peer)"
        }
    }
}
