/// An answer of a Join Server, as it travels over the Backend Interfaces.
///
/// As with ``BackendRequest``, the case is the message type and wins over the inner header's.
public enum BackendAnswer: Hashable, Sendable {
    case join(JoinAns)
    case rejoin(JoinAns)
    case appSKey(AppSKeyAns)
    case homeNS(HomeNSAns)

    /// A `JoinAns` or `RejoinAns`, as its header's message type says (`JoinAns` unless `RejoinAns`).
    public init(_ answer: JoinAns) {
        self = answer.header.messageType == .rejoinAns ? .rejoin(answer) : .join(answer)
    }

    /// The answer that carries only a `Result`, as The Things Stack answers every failure
    /// (reference §3.6): header from the request's, with IDs swapped and the answer's message type.
    public init(failing request: BackendHeader, _ result: BackendResult) {
        switch request.answerHeader().messageType {
        case .joinReq, .joinAns: self = .join(JoinAns(failing: request, result))
        case .rejoinReq, .rejoinAns: self = .rejoin(JoinAns(failing: request, result))
        case .appSKeyReq, .appSKeyAns: self = .appSKey(AppSKeyAns(failing: request, result))
        case .homeNSReq, .homeNSAns: self = .homeNS(HomeNSAns(failing: request, result))
        }
    }

    /// The `MessageType` this answer travels as.
    public var messageType: BackendMessageType {
        switch self {
        case .join: .joinAns
        case .rejoin: .rejoinAns
        case .appSKey: .appSKeyAns
        case .homeNS: .homeNSAns
        }
    }

    /// The answer's header, its message type that of the case.
    public var header: BackendHeader {
        var header: BackendHeader
        switch self {
        case .join(let answer), .rejoin(let answer): header = answer.header
        case .appSKey(let answer): header = answer.header
        case .homeNS(let answer): header = answer.header
        }
        header.messageType = messageType
        return header
    }

    public var result: BackendResult {
        switch self {
        case .join(let answer), .rejoin(let answer): answer.result
        case .appSKey(let answer): answer.result
        case .homeNS(let answer): answer.result
        }
    }

    /// The largest answer body the client reads; answers are a few hundred bytes.
    public static let maximumBodySize = 32 * 1024
}
