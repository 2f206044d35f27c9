import Foundation
import LoRaWAN

/// What the Network Server reports to the application side besides data: frames it dropped and why,
/// so MIC failures and replays show in the same event stream as uplinks (never with key material).
public struct NetworkEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case micFailed = "mic_failed"
        case replayDropped = "replay_dropped"
        case unknownDevAddr = "unknown_dev_addr"
        case joinRefused = "join_refused"
        case malformedFrame = "malformed_frame"
        case downlinkDropped = "downlink_dropped"
    }

    public var kind: Kind
    /// Known when the frame could be attributed to a device.
    public var devEUI: EUI64?
    public var devAddr: DevAddr?
    /// A short sentence for the operator.
    public var detail: String
    public var time: Date

    public init(kind: Kind, devEUI: EUI64?, devAddr: DevAddr?, detail: String, time: Date) {
        self.kind = kind
        self.devEUI = devEUI
        self.devAddr = devAddr
        self.detail = detail
        self.time = time
    }
}
