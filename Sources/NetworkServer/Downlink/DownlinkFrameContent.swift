import BackendInterfaces
import Foundation
import LoRaWAN

/// What goes into one downlink frame.
public struct DownlinkFrameContent: Sendable, Equatable {
    /// MAC commands in clear; in FOpts, or in an FPort 0 payload when there is no application payload
    /// and they need more than 15 bytes.
    public var macCommands: [DownlinkMACCommand]
    /// An application downlink, already encrypted by the Application Server with the AppSKey and the
    /// counter it reserved.
    public var application: ApplicationDownlink?
    /// The 32-bit FCntUp of the confirmed uplink this frame acknowledges (sets FCtrl.ACK; its low 16
    /// bits are the 1.1 downlink MIC's ConfFCnt), `nil` for no ACK.
    public var acknowledgedUplinkFCnt: UInt32?
    /// FCtrl.FPending: more downlinks are queued, the device should uplink soon (LoRaWAN 1.1 §4.3.1.4).
    public var framePending: Bool

    public init(macCommands: [DownlinkMACCommand] = [], application: ApplicationDownlink? = nil,
                acknowledgedUplinkFCnt: UInt32? = nil, framePending: Bool = false) {
        self.macCommands = macCommands
        self.application = application
        self.acknowledgedUplinkFCnt = acknowledgedUplinkFCnt
        self.framePending = framePending
    }
}

/// A built downlink and what sending it spends.
public struct DownlinkFrame: Sendable, Equatable {
    /// MHDR through MIC.
    public var phyPayload: [UInt8]
    /// The frame counter used, and which one.
    public var fCnt: UInt32
    public var counter: DownlinkFrameCounterKind
    public var confirmed: Bool
    /// The MAC commands carried (requests among them become pending once sent).
    public var macCommands: [DownlinkMACCommand]
    /// The application downlink carried, if any.
    public var applicationDownlinkID: UUID?
}
