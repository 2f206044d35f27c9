import LoRaWAN

/// A frame a virtual device puts on air: the PHYPayload and how it was sent.
public struct VirtualDeviceTransmission: Sendable, Equatable {
    public let phyPayload: [UInt8]
    public let dataRate: DataRateIndex
    public let frequency: Frequency
    /// The index of the channel in the device's channel list (TxCh of the 1.1 uplink MIC).
    public let channelIndex: Int
    /// The full 32-bit FCntUp of a data uplink; `nil` for a join-request.
    public let fCnt: UInt32?
}

/// What a device learnt from a join-accept it accepted.
public struct JoinResult: Sendable, Equatable, CustomStringConvertible {
    public let devEUI: EUI64
    public let devAddr: DevAddr
    public let netID: NetID
    public let joinNonce: JoinNonce
    public let devNonce: DevNonce
    /// DLSettings.OptNeg: set by a 1.1 network for a 1.1 device (always false for 1.0.x devices).
    public let optNeg: Bool
    /// Whether the new session follows LoRaWAN 1.1 (1.1 device and OptNeg = 1).
    public let isLoRaWAN11Session: Bool
    public let rxDelay: Int
    public let rx1DROffset: UInt8
    public let rx2DataRate: DataRateIndex
    /// How many uplink channels the device has after the CFList.
    public let channelCount: Int

    public var description: String {
        "\(devEUI) joined as \(devAddr) (NetID \(netID), JoinNonce \(joinNonce), DevNonce \(devNonce), "
            + "LoRaWAN \(isLoRaWAN11Session ? "1.1" : "1.0") session, \(channelCount) channels)"
    }
}

/// A downlink a device accepted: MIC verified, counter above the last, payload decrypted.
public struct ReceivedDownlink: Sendable, Equatable {
    /// Which counter the frame used: FCntDown (1.0 sessions), NFCntDown or AFCntDown (1.1 sessions).
    public enum Counter: String, Sendable, Equatable {
        case fCntDown = "FCntDown"
        case nFCntDown = "NFCntDown"
        case aFCntDown = "AFCntDown"
    }

    public let devEUI: EUI64
    public let counter: Counter
    public let fCnt: UInt32
    public let confirmed: Bool
    /// The ACK bit: the network received the device's last confirmed uplink.
    public let ack: Bool
    /// The counter of the confirmed uplink the ACK acknowledges, when there was one outstanding.
    public let acknowledgedUplink: UInt32?
    public let fPending: Bool
    public let adr: Bool
    public let fPort: UInt8?
    /// The application payload in clear (FPort > 0); empty otherwise.
    public let payload: [UInt8]
    /// The MAC commands of FOpts or of an FPort 0 payload, in clear, as far as the device understood them.
    public let macCommands: [DownlinkMACCommand]
    /// Where reading the MAC commands stopped, when a command was not understood (LoRaWAN 1.1 §5: the
    /// rest of the sequence is ignored).
    public let macCommandError: FrameError?
    /// The answers the device queued for its next uplink.
    public let answers: [UplinkMACCommand]
}
