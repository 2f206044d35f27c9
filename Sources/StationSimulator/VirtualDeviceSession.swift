import LoRaWAN

/// The root keys a device is provisioned with: AppKey, and NwkKey for LoRaWAN 1.1. Printing shows
/// only which keys are present.
public struct VirtualDeviceRootKeys: Sendable, Equatable, CustomStringConvertible {
    public let appKey: AppKey
    /// LoRaWAN 1.1 only: the root of the network keys.
    public let nwkKey: NwkKey?

    public init(appKey: AppKey, nwkKey: NwkKey? = nil) {
        self.appKey = appKey
        self.nwkKey = nwkKey
    }

    public var description: String { nwkKey == nil ? "AppKey(<redacted>)" : "AppKey(<redacted>), NwkKey(<redacted>)" }
}

/// What a device holds after a join: its address, session keys and frame counters.
///
/// Keys are typed values that print as `<redacted>`; they are readable so that tests and tools can
/// check a frame the device built with LoRaWAN's own verification functions.
public struct VirtualDeviceSession: Sendable, Equatable, CustomStringConvertible {
    public let devAddr: DevAddr
    public let netID: NetID
    public let joinNonce: JoinNonce
    public let devNonce: DevNonce
    /// The network keys: 1.0 (one NwkSKey; also a 1.1 device answered with OptNeg = 0) or 1.1.
    public let networkKeys: NetworkSessionKeys
    public let appSKey: AppSKey
    /// RX1 delay in seconds (join-accept RxDelay, then RXTimingSetupReq); 1 to 15.
    public internal(set) var rxDelay: Int
    public internal(set) var rx1DROffset: UInt8
    public internal(set) var rx2DataRate: DataRateIndex

    /// The counter of the next uplink.
    public internal(set) var fCntUp: UInt32 = 0
    /// The last accepted downlink counter: FCntDown (1.0 sessions) or NFCntDown (1.1 sessions).
    public internal(set) var nFCntDown: UInt32?
    /// The last accepted AFCntDown (1.1 sessions only).
    public internal(set) var aFCntDown: UInt32?
    /// Counters of confirmed uplinks no downlink has acknowledged yet, oldest first (at most
    /// `maximumAwaitingAcknowledgement`; a simulated device may send faster than its receive windows).
    public internal(set) var confirmedUplinksAwaitingAck: [UInt32] = []
    /// The counter of a confirmed downlink the next uplink acknowledges (ACK bit; ConfFCnt in 1.1).
    public internal(set) var downlinkToAcknowledge: UInt32?
    /// LoRaWAN 1.1 §5.10: an OTAA 1.1 device sends RekeyInd in every uplink until RekeyConf arrives.
    public internal(set) var awaitsRekeyConf: Bool

    init(
        devAddr: DevAddr, netID: NetID, joinNonce: JoinNonce, devNonce: DevNonce, networkKeys: NetworkSessionKeys,
        appSKey: AppSKey, rxDelay: Int, rx1DROffset: UInt8, rx2DataRate: DataRateIndex
    ) {
        self.devAddr = devAddr
        self.netID = netID
        self.joinNonce = joinNonce
        self.devNonce = devNonce
        self.networkKeys = networkKeys
        self.appSKey = appSKey
        self.rxDelay = rxDelay
        self.rx1DROffset = rx1DROffset
        self.rx2DataRate = rx2DataRate
        self.awaitsRekeyConf = networkKeys.isLoRaWAN11
    }

    static let maximumAwaitingAcknowledgement = 8

    /// Whether the session follows LoRaWAN 1.1 (a 1.1 device that got OptNeg = 1).
    public var isLoRaWAN11: Bool { networkKeys.isLoRaWAN11 }

    /// The newest confirmed uplink not yet acknowledged.
    public var unacknowledgedConfirmedUplink: UInt32? { confirmedUplinksAwaitingAck.last }

    mutating func sentConfirmedUplink(_ fCnt: UInt32) {
        confirmedUplinksAwaitingAck.append(fCnt)
        if confirmedUplinksAwaitingAck.count > Self.maximumAwaitingAcknowledgement { confirmedUplinksAwaitingAck.removeFirst() }
    }

    public var description: String {
        "session DevAddr \(devAddr), LoRaWAN \(isLoRaWAN11 ? "1.1" : "1.0"), FCntUp \(fCntUp)"
    }
}
