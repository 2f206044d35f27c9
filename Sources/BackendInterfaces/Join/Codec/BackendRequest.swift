/// A request a Join Server answers, as it arrives over the Backend Interfaces.
///
/// The case is the message type: encoding writes the case's `MessageType` whatever the inner
/// header says, and ``header`` reports it, so a value cannot say two things at once.
public enum BackendRequest: Hashable, Sendable {
    case join(JoinReq)
    case rejoin(JoinReq)
    case appSKey(AppSKeyReq)
    case homeNS(HomeNSReq)

    /// A `JoinReq` or `RejoinReq`, as its header's message type says (`JoinReq` unless `RejoinReq`).
    public init(_ request: JoinReq) {
        self = request.header.messageType == .rejoinReq ? .rejoin(request) : .join(request)
    }

    /// The `MessageType` this request travels as.
    public var messageType: BackendMessageType {
        switch self {
        case .join: .joinReq
        case .rejoin: .rejoinReq
        case .appSKey: .appSKeyReq
        case .homeNS: .homeNSReq
        }
    }

    /// The `MessageType` of the answer this request expects.
    public var answerType: BackendMessageType { messageType.answerType ?? messageType }

    /// The request's header, its message type that of the case.
    public var header: BackendHeader {
        var header: BackendHeader
        switch self {
        case .join(let request), .rejoin(let request): header = request.header
        case .appSKey(let request): header = request.header
        case .homeNS(let request): header = request.header
        }
        header.messageType = messageType
        return header
    }

    /// The largest body a Join Server reads, as The Things Stack's interop server (reference §1).
    public static let maximumBodySize = 32 * 1024
}
