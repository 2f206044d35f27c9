import Foundation
import LoRaWAN

/// A device joined and the Application Server holds the AppSKey of its new session.
public struct JoinEvent: Sendable, Equatable {
    public var applicationID: ApplicationID?
    public var devEUI: EUI64
    public var joinEUI: EUI64
    public var devAddr: DevAddr
    public var macVersion: MACVersion
    public var joinedAt: Date

    public init(applicationID: ApplicationID?, devEUI: EUI64, joinEUI: EUI64, devAddr: DevAddr, macVersion: MACVersion, joinedAt: Date) {
        self.applicationID = applicationID
        self.devEUI = devEUI
        self.joinEUI = joinEUI
        self.devAddr = devAddr
        self.macVersion = macVersion
        self.joinedAt = joinedAt
    }
}
