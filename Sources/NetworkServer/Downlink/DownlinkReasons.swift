import LoRaWAN

/// Why the network must use a class A device's receive windows after an uplink. An empty set means
/// the windows may stay unused (a downlink costs gateway airtime and duty cycle).
public struct DownlinkReasons: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A confirmed uplink must be acknowledged (LoRaWAN 1.1 §4.3.1.2), retransmissions included.
    public static let acknowledgement = DownlinkReasons(rawValue: 1 << 0)
    /// ADRACKReq: the device asks for any downlink to prove the link (§4.3.1.1); without one it
    /// backs off its data rate after ADR_ACK_DELAY.
    public static let adrAckRequest = DownlinkReasons(rawValue: 1 << 1)
    /// MAC answers wait (LinkCheckAns, DeviceTimeAns, RekeyConf...).
    public static let macAnswers = DownlinkReasons(rawValue: 1 << 2)
    /// The network has MAC requests to send (ADR's LinkADRReq, DevStatusReq...).
    public static let macRequests = DownlinkReasons(rawValue: 1 << 3)
    /// An application downlink is queued.
    public static let applicationQueued = DownlinkReasons(rawValue: 1 << 4)

    /// The reasons after an accepted uplink whose FCtrl is `fCtrl`.
    public init(confirmed: Bool, fCtrl: UplinkFCtrl, macAnswers: [DownlinkMACCommand], macRequests: [DownlinkMACCommand],
                applicationQueued: Bool) {
        var reasons: DownlinkReasons = []
        if confirmed { reasons.insert(.acknowledgement) }
        if fCtrl.adrAckReq { reasons.insert(.adrAckRequest) }
        if !macAnswers.isEmpty { reasons.insert(.macAnswers) }
        if !macRequests.isEmpty { reasons.insert(.macRequests) }
        if applicationQueued { reasons.insert(.applicationQueued) }
        self = reasons
    }
}
