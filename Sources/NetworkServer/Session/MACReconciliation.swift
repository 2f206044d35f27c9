import LoRaWAN

/// What the Network Server remembers, with a session, of the requests it sends for the operator: which
/// ones the device refused, and a ForceRejoinReq still to send.
///
/// A refused request is not sent again while the wish is the same (a device that cannot use a
/// frequency would be asked on every uplink for ever); a new wish makes a new request, and setting the
/// desired settings again forgets the refusals, so the operator decides when to ask once more.
public struct MACReconciliation: Sendable, Equatable {
    /// The refused requests, at most one per ``ReconciledSetting`` (the latest), oldest first.
    public private(set) var rejections: [RejectedMACRequest]
    /// A ForceRejoinReq the operator asked for that has not gone out yet; it goes once, with the next
    /// downlink.
    public var forceRejoin: ForceRejoinRequest?

    public init(rejections: [RejectedMACRequest] = [], forceRejoin: ForceRejoinRequest? = nil) {
        self.rejections = []
        self.forceRejoin = forceRejoin
        for rejection in rejections { record(rejection) }
    }

    public var isEmpty: Bool { rejections.isEmpty && forceRejoin == nil }

    /// The refusal of exactly this request, if the device refused it.
    public func rejection(of request: DownlinkMACCommand) -> RejectedMACRequest? {
        rejections.first { $0.request == request }
    }

    /// Remembers that the device refused `request` with `answer`, replacing an older refusal of the
    /// same setting. Requests the planner never sends are not remembered.
    public mutating func recordRejection(of request: DownlinkMACCommand, answer: UplinkMACCommand) {
        record(RejectedMACRequest(request: request, answer: answer))
    }

    /// Forgets the refusal of the setting `request` changes: the device accepted it.
    public mutating func forgetRejection(of request: DownlinkMACCommand) {
        guard let setting = ReconciledSetting(request) else { return }
        rejections.removeAll { $0.setting == setting }
    }

    /// Forgets every refusal: the operator set the desired settings again.
    public mutating func forgetRejections() {
        rejections.removeAll()
    }

    private mutating func record(_ rejection: RejectedMACRequest) {
        guard let setting = rejection.setting else { return }
        rejections.removeAll { $0.setting == setting }
        rejections.append(rejection)
    }
}

/// A request the device refused, and the answer that said so (its status bits say which part).
public struct RejectedMACRequest: Sendable, Equatable, CustomStringConvertible {
    public var request: DownlinkMACCommand
    public var answer: UplinkMACCommand

    public init(request: DownlinkMACCommand, answer: UplinkMACCommand) {
        self.request = request
        self.answer = answer
    }

    /// The setting the request changes.
    public var setting: ReconciledSetting? { ReconciledSetting(request) }

    public var description: String { "\(request) refused: \(answer)" }
}
