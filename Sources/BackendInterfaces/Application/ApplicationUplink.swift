import Foundation
import LoRaWAN

/// A data uplink for the application (FPort > 0), handed from the Network Server to the Application
/// Server. The FRMPayload is still encrypted: the Network Server never holds the AppSKey, so it cannot
/// read it (DESIGN.md invariant 3); the Application Server decrypts with the session's AppSKey.
public struct ApplicationUplink: Sendable, Equatable {
    public var devEUI: EUI64
    public var devAddr: DevAddr
    /// The Join Server's `SessionKeyID` of the session: which AppSKey decrypts this frame.
    public var sessionKeyID: [UInt8]
    public var fPort: UInt8
    /// The full 32-bit uplink frame counter the Network Server reconstructed and accepted.
    public var fCnt: UInt32
    /// FRMPayload as transmitted, encrypted under the AppSKey.
    public var encryptedFRMPayload: [UInt8]
    public var confirmed: Bool
    public var dataRate: DataRateIndex
    public var frequency: Frequency
    /// Every gateway that heard the frame within the deduplication window, best first.
    public var receptions: [GatewayReception]
    /// When the Network Server received the first copy.
    public var receivedAt: Date

    public init(
        devEUI: EUI64, devAddr: DevAddr, sessionKeyID: [UInt8], fPort: UInt8, fCnt: UInt32, encryptedFRMPayload: [UInt8],
        confirmed: Bool, dataRate: DataRateIndex, frequency: Frequency, receptions: [GatewayReception], receivedAt: Date
    ) {
        self.devEUI = devEUI
        self.devAddr = devAddr
        self.sessionKeyID = sessionKeyID
        self.fPort = fPort
        self.fCnt = fCnt
        self.encryptedFRMPayload = encryptedFRMPayload
        self.confirmed = confirmed
        self.dataRate = dataRate
        self.frequency = frequency
        self.receptions = receptions
        self.receivedAt = receivedAt
    }
}

/// One gateway's reception of a frame, as an application event reports it.
public struct GatewayReception: Sendable, Equatable {
    public var gatewayEUI: EUI64
    public var rssi: Double
    public var snr: Double
    /// The gateway's own clock at reception when it reported one, else the server's receive time.
    public var time: Date

    public init(gatewayEUI: EUI64, rssi: Double, snr: Double, time: Date) {
        self.gatewayEUI = gatewayEUI
        self.rssi = rssi
        self.snr = snr
        self.time = time
    }
}
