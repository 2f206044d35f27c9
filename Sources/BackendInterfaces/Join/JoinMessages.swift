import LoRaWAN

/// `JoinReq` (or `RejoinReq`, which has the same fields; the header's type tells them apart): a Network
/// Server forwards a device's join- or rejoin-request with the parameters it wants in the JoinAccept.
public struct JoinReq: Hashable, Sendable {
    public var header: BackendHeader
    public var macVersion: MACVersion
    /// The join-request (23 bytes) or rejoin-request (19 or 24 bytes) as the device sent it.
    public var phyPayload: [UInt8]
    public var devEUI: EUI64
    public var devAddr: DevAddr
    public var dlSettings: DLSettings
    /// RX1 delay in seconds, 0...15 (0 means 1 s).
    public var rxDelay: UInt8
    public var cfList: CFList?

    public init(
        header: BackendHeader, macVersion: MACVersion, phyPayload: [UInt8], devEUI: EUI64, devAddr: DevAddr,
        dlSettings: DLSettings, rxDelay: UInt8, cfList: CFList? = nil
    ) {
        self.header = header
        self.macVersion = macVersion
        self.phyPayload = phyPayload
        self.devEUI = devEUI
        self.devAddr = devAddr
        self.dlSettings = dlSettings
        self.rxDelay = rxDelay
        self.cfList = cfList
    }
}

/// `JoinAns` / `RejoinAns`: the encrypted JoinAccept and the session keys, each wrapped for its receiver.
///
/// Which key fields are present follows the session's MAC version: `nwkSKey` for 1.0.x; the three
/// 1.1 network keys otherwise. `appSKey` is present only when the Application Server's key goes through
/// the Network Server (never in Gatehouse's default, where the AS asks with `AppSKeyReq`).
public struct JoinAns: Hashable, Sendable {
    public var header: BackendHeader
    public var result: BackendResult
    public var phyPayload: [UInt8]?
    public var lifetime: UInt32?
    public var nwkSKey: KeyEnvelope?
    public var fNwkSIntKey: KeyEnvelope?
    public var sNwkSIntKey: KeyEnvelope?
    public var nwkSEncKey: KeyEnvelope?
    public var appSKey: KeyEnvelope?
    public var sessionKeyID: [UInt8]?

    public init(
        header: BackendHeader, result: BackendResult, phyPayload: [UInt8]? = nil, lifetime: UInt32? = nil,
        nwkSKey: KeyEnvelope? = nil, fNwkSIntKey: KeyEnvelope? = nil, sNwkSIntKey: KeyEnvelope? = nil,
        nwkSEncKey: KeyEnvelope? = nil, appSKey: KeyEnvelope? = nil, sessionKeyID: [UInt8]? = nil
    ) {
        self.header = header
        self.result = result
        self.phyPayload = phyPayload
        self.lifetime = lifetime
        self.nwkSKey = nwkSKey
        self.fNwkSIntKey = fNwkSIntKey
        self.sNwkSIntKey = sNwkSIntKey
        self.nwkSEncKey = nwkSEncKey
        self.appSKey = appSKey
        self.sessionKeyID = sessionKeyID
    }

    /// A failure: the answer header and `Result` only, as The Things Stack answers.
    public init(failing request: BackendHeader, _ result: BackendResult) {
        self.init(header: request.answerHeader(), result: result)
    }
}

/// `AppSKeyReq`: an Application Server asks for the AppSKey of one session.
public struct AppSKeyReq: Hashable, Sendable {
    public var header: BackendHeader
    public var devEUI: EUI64
    public var sessionKeyID: [UInt8]

    public init(header: BackendHeader, devEUI: EUI64, sessionKeyID: [UInt8]) {
        self.header = header
        self.devEUI = devEUI
        self.sessionKeyID = sessionKeyID
    }
}

/// `AppSKeyAns`: the AppSKey wrapped for the asking Application Server.
public struct AppSKeyAns: Hashable, Sendable {
    public var header: BackendHeader
    public var result: BackendResult
    public var devEUI: EUI64?
    public var appSKey: KeyEnvelope?
    public var sessionKeyID: [UInt8]?

    public init(header: BackendHeader, result: BackendResult, devEUI: EUI64? = nil, appSKey: KeyEnvelope? = nil, sessionKeyID: [UInt8]? = nil) {
        self.header = header
        self.result = result
        self.devEUI = devEUI
        self.appSKey = appSKey
        self.sessionKeyID = sessionKeyID
    }

    public init(failing request: BackendHeader, _ result: BackendResult) {
        self.init(header: request.answerHeader(), result: result)
    }
}

/// `HomeNSReq`: a (visited) Network Server asks which network a device belongs to.
public struct HomeNSReq: Hashable, Sendable {
    public var header: BackendHeader
    public var devEUI: EUI64

    public init(header: BackendHeader, devEUI: EUI64) {
        self.header = header
        self.devEUI = devEUI
    }
}

/// `HomeNSAns`: the device's home NetID (and, for 1.1, the home NSID when known).
public struct HomeNSAns: Hashable, Sendable {
    public var header: BackendHeader
    public var result: BackendResult
    public var hNetID: NetID?
    public var hNSID: EUI64?

    public init(header: BackendHeader, result: BackendResult, hNetID: NetID? = nil, hNSID: EUI64? = nil) {
        self.header = header
        self.result = result
        self.hNetID = hNetID
        self.hNSID = hNSID
    }

    public init(failing request: BackendHeader, _ result: BackendResult) {
        self.init(header: request.answerHeader(), result: result)
    }
}
