import Foundation
import LoRaWAN

/// A downlink the Application Server encrypted for a device: FRMPayload under the AppSKey with the
/// downlink counter the Network Server reserved for it (AFCntDown for 1.1, the shared FCntDown for
/// 1.0). The Network Server adds the header and MIC and schedules it; it cannot read it.
public struct ApplicationDownlink: Sendable, Equatable {
    /// Chosen by the Application Server; events about this downlink carry it.
    public var id: UUID
    public var devEUI: EUI64
    public var sessionKeyID: [UInt8]
    public var fPort: UInt8
    public var fCnt: UInt32
    public var encryptedFRMPayload: [UInt8]
    public var confirmed: Bool

    public init(id: UUID, devEUI: EUI64, sessionKeyID: [UInt8], fPort: UInt8, fCnt: UInt32, encryptedFRMPayload: [UInt8], confirmed: Bool) {
        self.id = id
        self.devEUI = devEUI
        self.sessionKeyID = sessionKeyID
        self.fPort = fPort
        self.fCnt = fCnt
        self.encryptedFRMPayload = encryptedFRMPayload
        self.confirmed = confirmed
    }
}

/// What became of an application downlink, reported by the Network Server.
public struct ApplicationDownlinkEvent: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        /// Transmitted (`dntxed`); for an unconfirmed downlink the end of its story.
        case sent
        /// A confirmed downlink the device acknowledged.
        case acknowledged
        /// A confirmed downlink the device did not acknowledge in its next uplink.
        case notAcknowledged = "not_acknowledged"
        /// Dropped before transmission (too long for the data rate, session changed, no gateway).
        case dropped
    }

    public var id: UUID
    public var devEUI: EUI64
    public var outcome: Outcome
    public var detail: String
    public var time: Date

    public init(id: UUID, devEUI: EUI64, outcome: Outcome, detail: String = "", time: Date) {
        self.id = id
        self.devEUI = devEUI
        self.outcome = outcome
        self.detail = detail
        self.time = time
    }
}
