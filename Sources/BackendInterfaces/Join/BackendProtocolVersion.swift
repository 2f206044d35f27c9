/// The Backend Interfaces version a message is written in. An answer repeats the request's version:
/// ChirpStack speaks only 1.0, The Things Stack either.
public enum BackendProtocolVersion: String, Hashable, Sendable, CaseIterable {
    case v1_0 = "1.0"
    case v1_1 = "1.1"
}

/// The message types a Join Server answers and the answers it sends (Backend Interfaces 1.0 §6).
public enum BackendMessageType: String, Hashable, Sendable, CaseIterable {
    case joinReq = "JoinReq"
    case joinAns = "JoinAns"
    case rejoinReq = "RejoinReq"
    case rejoinAns = "RejoinAns"
    case appSKeyReq = "AppSKeyReq"
    case appSKeyAns = "AppSKeyAns"
    case homeNSReq = "HomeNSReq"
    case homeNSAns = "HomeNSAns"

    /// The answer type of a request; `nil` for an answer.
    public var answerType: BackendMessageType? {
        switch self {
        case .joinReq: .joinAns
        case .rejoinReq: .rejoinAns
        case .appSKeyReq: .appSKeyAns
        case .homeNSReq: .homeNSAns
        case .joinAns, .rejoinAns, .appSKeyAns, .homeNSAns: nil
        }
    }
}
