import Foundation
import LoRaWAN

/// A device joined: the Network Server tells the Application Server which session to fetch the
/// AppSKey for (`AppSKeyReq` with this `SessionKeyID`).
public struct ApplicationJoin: Sendable, Equatable {
    public var devEUI: EUI64
    public var joinEUI: EUI64
    public var devAddr: DevAddr
    public var sessionKeyID: [UInt8]
    public var macVersion: MACVersion
    public var joinedAt: Date

    public init(devEUI: EUI64, joinEUI: EUI64, devAddr: DevAddr, sessionKeyID: [UInt8], macVersion: MACVersion, joinedAt: Date) {
        self.devEUI = devEUI
        self.joinEUI = joinEUI
        self.devAddr = devAddr
        self.sessionKeyID = sessionKeyID
        self.macVersion = macVersion
        self.joinedAt = joinedAt
    }
}
