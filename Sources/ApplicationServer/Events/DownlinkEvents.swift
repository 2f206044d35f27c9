import BackendInterfaces
import Foundation
import LoRaWAN

/// An application downlink was encrypted and handed to the Network Server's queue: the first event in
/// a downlink's life; ``DownlinkOutcomeEvent`` reports the rest under the same ``downlinkID``.
public struct DownlinkQueuedEvent: Sendable, Equatable {
    public var applicationID: ApplicationID?
    public var devEUI: EUI64
    public var downlinkID: UUID
    public var fPort: UInt8
    /// The downlink counter it is encrypted with (AFCntDown for 1.1, FCntDown for 1.0).
    public var fCnt: UInt32
    public var confirmed: Bool
    public var queuedAt: Date

    public init(applicationID: ApplicationID?, devEUI: EUI64, downlinkID: UUID, fPort: UInt8, fCnt: UInt32, confirmed: Bool, queuedAt: Date) {
        self.applicationID = applicationID
        self.devEUI = devEUI
        self.downlinkID = downlinkID
        self.fPort = fPort
        self.fCnt = fCnt
        self.confirmed = confirmed
        self.queuedAt = queuedAt
    }
}

/// What the Network Server reported about a queued downlink: sent, acknowledged, not acknowledged or
/// dropped (`ApplicationDownlinkEvent`).
public struct DownlinkOutcomeEvent: Sendable, Equatable {
    public var applicationID: ApplicationID?
    public var devEUI: EUI64
    public var downlinkID: UUID
    public var outcome: ApplicationDownlinkEvent.Outcome
    public var detail: String
    public var time: Date

    public init(applicationID: ApplicationID?, devEUI: EUI64, downlinkID: UUID, outcome: ApplicationDownlinkEvent.Outcome, detail: String, time: Date) {
        self.applicationID = applicationID
        self.devEUI = devEUI
        self.downlinkID = downlinkID
        self.outcome = outcome
        self.detail = detail
        self.time = time
    }

    public init(_ event: ApplicationDownlinkEvent, applicationID: ApplicationID?) {
        self.init(applicationID: applicationID, devEUI: event.devEUI, downlinkID: event.id, outcome: event.outcome, detail: event.detail, time: event.time)
    }

    /// The event `type` in JSON.
    public var type: String {
        switch outcome {
        case .sent: "downlink_sent"
        case .acknowledged: "downlink_acked"
        case .notAcknowledged: "downlink_nacked"
        case .dropped: "downlink_dropped"
        }
    }
}
