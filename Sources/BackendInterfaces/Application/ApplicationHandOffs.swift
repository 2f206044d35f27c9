import LoRaWAN

/// Where the Network Server delivers what the application side needs. The Application Server
/// implements it; neither module imports the other, so the Network Server has no path to AppSKeys.
public protocol ApplicationUplinkHandler: Sendable {
    func joined(_ join: ApplicationJoin) async
    func uplinkReceived(_ uplink: ApplicationUplink) async
    func downlinkUpdated(_ event: ApplicationDownlinkEvent) async
    func networkEvent(_ event: NetworkEvent) async
}

/// How the Application Server hands encrypted downlinks to the Network Server.
public protocol ApplicationDownlinkQueue: Sendable {
    /// Reserves the counter the next application downlink of `devEUI` must be encrypted with, in the
    /// device's current session. Throws when the device has no session.
    func reserveDownlinkCounter(devEUI: EUI64) async throws -> DownlinkCounterReservation
    /// Queues an encrypted downlink; it goes out in the device's next receive window (class A) or as
    /// soon as possible (class C). Throws when its session or counter no longer fits the device.
    func enqueue(_ downlink: ApplicationDownlink) async throws
    func queued(devEUI: EUI64) async throws -> [ApplicationDownlink]
    func clear(devEUI: EUI64) async throws
}

/// A downlink counter reserved for the Application Server.
public struct DownlinkCounterReservation: Sendable, Equatable {
    public var sessionKeyID: [UInt8]
    public var fCnt: UInt32
    /// The largest FRMPayload the device's current downlink data rate allows, so the Application
    /// Server can refuse a too-long payload before encrypting it.
    public var maximumPayloadSize: Int

    public init(sessionKeyID: [UInt8], fCnt: UInt32, maximumPayloadSize: Int) {
        self.sessionKeyID = sessionKeyID
        self.fCnt = fCnt
        self.maximumPayloadSize = maximumPayloadSize
    }
}
