import BackendInterfaces
import Foundation
import LoRaWAN

/// A decrypted data uplink, as an application receives it.
public struct UplinkEvent: Sendable, Equatable {
    /// `nil` when the device is assigned to no application: the event then goes only to subscribers of
    /// every application.
    public var applicationID: ApplicationID?
    public var devEUI: EUI64
    public var devAddr: DevAddr
    public var fPort: UInt8
    /// The full 32-bit uplink frame counter.
    public var fCnt: UInt32
    /// The decrypted FRMPayload.
    public var payload: [UInt8]
    public var confirmed: Bool
    public var dataRate: DataRateIndex
    public var frequency: Frequency
    /// Every gateway that heard the frame, best first.
    public var gateways: [GatewayReception]
    /// When the Network Server received the first copy.
    public var receivedAt: Date
    /// The device was activated by personalisation: keys and counters for life, so the event says it
    /// is insecure (`"activation":"ABP","insecure":true`).
    public var isABP: Bool

    public init(
        applicationID: ApplicationID?, devEUI: EUI64, devAddr: DevAddr, fPort: UInt8, fCnt: UInt32, payload: [UInt8], confirmed: Bool,
        dataRate: DataRateIndex, frequency: Frequency, gateways: [GatewayReception], receivedAt: Date, isABP: Bool = false
    ) {
        self.applicationID = applicationID
        self.devEUI = devEUI
        self.devAddr = devAddr
        self.fPort = fPort
        self.fCnt = fCnt
        self.payload = payload
        self.confirmed = confirmed
        self.dataRate = dataRate
        self.frequency = frequency
        self.gateways = gateways
        self.receivedAt = receivedAt
        self.isABP = isABP
    }
}
