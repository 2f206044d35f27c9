import LoRaWAN

/// Something the MAC layer learned or decided from an uplink's commands, for logs, events and metrics.
public enum MACCommandNotice: Sendable, Equatable, CustomStringConvertible {
    /// The device applied a request; the session now reflects it.
    case requestAccepted(DownlinkMACCommand)
    /// The device refused a request; the session is unchanged.
    case requestRejected(DownlinkMACCommand, answer: UplinkMACCommand)
    /// A pending request got no answer in this uplink; it is dropped and may be sent again.
    case requestUnanswered(DownlinkMACCommand)
    /// An answer without a pending request (answers such as RXParamSetupAns are repeated by the device
    /// until it hears a downlink, LoRaWAN 1.1 §5.5): ignored.
    case unsolicitedAnswer(UplinkMACCommand)
    /// A command understood but not acted on, with the reason.
    case ignored(UplinkMACCommand, reason: String)
    /// DevStatusAns, stored in the session.
    case deviceStatus(DeviceStatus)
    /// RekeyInd (1.1 OTAA): the device uses this session's keys; the previous context can go.
    case rekeyIndicated(minor: LoRaWANMinorVersion)
    /// ResetInd (1.1 ABP): the device restarted with its provisioned settings, which the session now has.
    case resetIndicated(minor: LoRaWANMinorVersion)
    /// DeviceModeInd: the device now operates in this class.
    case deviceClassChanged(DeviceModeClass)

    public var description: String {
        switch self {
        case .requestAccepted(let request): "\(request) accepted"
        case .requestRejected(let request, let answer): "\(request) rejected: \(answer)"
        case .requestUnanswered(let request): "\(request) unanswered"
        case .unsolicitedAnswer(let answer): "\(answer) without a pending request"
        case .ignored(let command, let reason): "\(command) ignored: \(reason)"
        case .deviceStatus(let status): "device status \(status)"
        case .rekeyIndicated(let minor): "RekeyInd (minor \(minor))"
        case .resetIndicated(let minor): "ResetInd (minor \(minor))"
        case .deviceClassChanged(let deviceClass): "device switched to \(deviceClass)"
        }
    }
}

/// What the MAC layer makes of one uplink's commands.
public struct MACCommandResponse: Sendable, Equatable {
    /// Commands for the next downlink, in the order the requests came.
    public var answers: [DownlinkMACCommand] = []
    public var notices: [MACCommandNotice] = []
    /// Where reading stopped (unknown command, bad length), if it did. Count it as malformed.
    public var parseStop: MACCommandParseStop?

    public init(answers: [DownlinkMACCommand] = [], notices: [MACCommandNotice] = [], parseStop: MACCommandParseStop? = nil) {
        self.answers = answers
        self.notices = notices
        self.parseStop = parseStop
    }
}
