import BackendInterfaces
import Foundation
import LoRaWAN

/// Something went wrong for a device, in the Network Server (a frame dropped: MIC failure, replay...)
/// or in the Application Server (no AppSKey for the frame's session...). Errors flow through the same
/// events as uplinks, so an application sees why data is missing. Never carries key material.
public struct ApplicationErrorEvent: Sendable, Equatable {
    /// What happened, as a stable `snake_case` code.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        // Reported by the Network Server (`NetworkEvent.Kind`).
        case micFailed = "mic_failed"
        case replayDropped = "replay_dropped"
        case unknownDevAddr = "unknown_dev_addr"
        case joinRefused = "join_refused"
        case malformedFrame = "malformed_frame"
        case downlinkDropped = "downlink_dropped"
        // Decided by the Application Server.
        /// An uplink names a session whose AppSKey this server does not hold: it cannot be decrypted.
        case unknownSession = "unknown_session"
        /// A device joined but the Join Server did not give its AppSKey.
        case appSKeyUnavailable = "app_skey_unavailable"
        /// An uplink the Application Server cannot decrypt for another reason (FPort 0).
        case invalidUplink = "invalid_uplink"
        /// A session or event could not be stored.
        case storageFailed = "storage_failed"

        public init(_ kind: NetworkEvent.Kind) {
            switch kind {
            case .micFailed: self = .micFailed
            case .replayDropped: self = .replayDropped
            case .unknownDevAddr: self = .unknownDevAddr
            case .joinRefused: self = .joinRefused
            case .malformedFrame: self = .malformedFrame
            case .downlinkDropped: self = .downlinkDropped
            }
        }
    }

    public var applicationID: ApplicationID?
    /// Known when the problem could be attributed to a device.
    public var devEUI: EUI64?
    public var devAddr: DevAddr?
    public var code: Code
    /// A sentence for the operator.
    public var detail: String
    public var time: Date

    public init(applicationID: ApplicationID?, devEUI: EUI64?, devAddr: DevAddr?, code: Code, detail: String, time: Date) {
        self.applicationID = applicationID
        self.devEUI = devEUI
        self.devAddr = devAddr
        self.code = code
        self.detail = detail
        self.time = time
    }

    public init(_ event: NetworkEvent, applicationID: ApplicationID?) {
        self.init(applicationID: applicationID, devEUI: event.devEUI, devAddr: event.devAddr, code: Code(event.kind), detail: event.detail, time: event.time)
    }
}
