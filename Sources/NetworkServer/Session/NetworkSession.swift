import Foundation
import LoRaWAN

/// A device's session as the Network Server holds it: identity, network keys, counters and the MAC
/// state it keeps in step with the device.
///
/// There is no AppSKey here and no way to put one here: `keys` is ``NetworkSessionKeys``, whose cases
/// hold NwkSKey (1.0) or FNwkSIntKey, SNwkSIntKey and NwkSEncKey (1.1) only, so the Network Server can
/// verify and answer frames but never read an application payload (DESIGN.md invariant 3).
/// `description` prints identifiers and counters, never keys (invariant 9).
public struct NetworkSession: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// How the session came to be.
    public enum Activation: String, Sendable, Hashable {
        /// Over-the-air activation: keys from a join (or rejoin) through the Join Server.
        case otaa = "OTAA"
        /// Activation by personalisation: keys provisioned by hand, never renewed. Insecure (counters
        /// and keys for life), allowed only with an explicit flag at device creation.
        case abp = "ABP"
    }

    public let devEUI: EUI64
    public var devAddr: DevAddr
    public let macVersion: MACVersion
    public let region: Region
    public let activation: Activation
    public let keys: NetworkSessionKeys
    /// The Join Server's SessionKeyID: the Application Server fetches this session's AppSKey by it.
    public let sessionKeyID: [UInt8]

    /// FCntUp of the last accepted uplink (32 bits), `nil` before the first (LoRaWAN 1.1 §4.3.1.5).
    public var fCntUp: UInt32?
    /// FCntUp of the last accepted uplink when that uplink was a confirmed one: a frame that repeats it
    /// is a retransmission, answered with the same ACK (LoRaWAN 1.1 §4.3.1.2, §4.3.1.5).
    public var lastConfirmedUplinkFCnt: UInt32?
    /// The counter of the last confirmed downlink sent: a 1.1 uplink with ACK set carries its low 16
    /// bits as ConfFCnt in the MIC (LoRaWAN 1.1 §4.4.2). Kept after the ACK so retransmissions of the
    /// acknowledging uplink still verify.
    public var lastConfirmedDownlinkFCnt: UInt32?
    /// FCntDown (1.0) or NFCntDown and AFCntDown (1.1), each the next value to use.
    public var downlinkCounters: DownlinkFrameCounters

    public var macSettings: MACSettings
    /// The settings the session started with (join-accept or ABP provisioning): what a 1.1 ABP device
    /// returns to after ResetInd (LoRaWAN 1.1 §5.1).
    public let provisionedMACSettings: MACSettings
    /// Whether the device asked for network-controlled data rate (FCtrl.ADR of its last uplink).
    public var adrEnabled: Bool
    /// Recent link quality for ADR.
    public var adrHistory: UplinkSignalHistory
    /// MAC requests sent in the last downlink that still wait for their answer, in order.
    public var pendingMACRequests: [DownlinkMACCommand]
    /// The last DevStatusAns.
    public var deviceStatus: DeviceStatus?
    /// The confirmed application downlink sent last whose acknowledgement is awaited: the device's next
    /// uplink settles it as acknowledged (ACK bit) or not.
    public var pendingConfirmedDownlinkID: UUID?
    /// Refused operator requests and a ForceRejoinReq still to send (``MACReconciliation``).
    public var macReconciliation: MACReconciliation

    /// - Throws: ``NetworkSessionError/keysDoNotMatchVersion`` when 1.1 keys come with a 1.0.x version
    ///   or the other way round: the MIC and counter rules follow the keys, so they must agree.
    public init(
        devEUI: EUI64, devAddr: DevAddr, macVersion: MACVersion, region: Region, activation: Activation,
        keys: NetworkSessionKeys, sessionKeyID: [UInt8], macSettings: MACSettings? = nil, fCntUp: UInt32? = nil,
        downlinkCounters: DownlinkFrameCounters? = nil
    ) throws(NetworkSessionError) {
        guard keys.isLoRaWAN11 == macVersion.hasSeparateNetworkRootKey else {
            throw .keysDoNotMatchVersion(macVersion)
        }
        if let downlinkCounters, downlinkCounters.isSeparate != keys.isLoRaWAN11 {
            throw .countersDoNotMatchVersion(macVersion)
        }
        let settings = macSettings ?? .defaults(for: region)
        self.devEUI = devEUI
        self.devAddr = devAddr
        self.macVersion = macVersion
        self.region = region
        self.activation = activation
        self.keys = keys
        self.sessionKeyID = sessionKeyID
        self.fCntUp = fCntUp
        self.lastConfirmedUplinkFCnt = nil
        self.lastConfirmedDownlinkFCnt = nil
        self.downlinkCounters = downlinkCounters ?? DownlinkFrameCounters(for: keys)
        self.macSettings = settings
        self.provisionedMACSettings = settings
        self.adrEnabled = false
        self.adrHistory = UplinkSignalHistory()
        self.pendingMACRequests = []
        self.deviceStatus = nil
        self.pendingConfirmedDownlinkID = nil
        self.macReconciliation = MACReconciliation()
    }

    /// The regional parameters of the session's region.
    public var regionalParameters: RegionalParameters { region.parameters }

    public var isLoRaWAN11: Bool { keys.isLoRaWAN11 }

    public var description: String {
        let up = fCntUp.map { "\($0)" } ?? "none"
        return "NetworkSession(DevEUI \(devEUI), DevAddr \(devAddr), LoRaWAN \(macVersion), \(region), "
            + "\(activation), FCntUp \(up), \(downlinkCounters))"
    }

    public var debugDescription: String { description }
}

/// Why a session cannot be built.
public enum NetworkSessionError: Error, Hashable, Sendable, CustomStringConvertible {
    case keysDoNotMatchVersion(MACVersion)
    case countersDoNotMatchVersion(MACVersion)

    public var description: String {
        switch self {
        case .keysDoNotMatchVersion(let version):
            version.hasSeparateNetworkRootKey
                ? "a LoRaWAN \(version) session needs FNwkSIntKey, SNwkSIntKey and NwkSEncKey"
                : "a LoRaWAN \(version) session needs one NwkSKey"
        case .countersDoNotMatchVersion(let version):
            version.hasSeparateNetworkRootKey
                ? "a LoRaWAN \(version) session counts NFCntDown and AFCntDown"
                : "a LoRaWAN \(version) session counts one FCntDown"
        }
    }
}
