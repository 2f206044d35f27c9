/// The Join Server as the Network and Application Servers see it (DESIGN.md: one protocol, an
/// in-process implementation and an HTTP client of the Backend Interfaces).
///
/// Protocol outcomes, failures included (`MICFailed`, `UnknownDevEUI`...), come back as answers with a
/// `Result`, exactly as over HTTP; only a Join Server that cannot be reached or answers nonsense throws.
public protocol JoinService: Sendable {
    /// `JoinReq` or `RejoinReq` (the header's message type says which); answers `JoinAns` or `RejoinAns`.
    func join(_ request: JoinReq) async throws(JoinServiceError) -> JoinAns

    /// `AppSKeyReq`; only an Application Server may ask.
    func appSKey(_ request: AppSKeyReq) async throws(JoinServiceError) -> AppSKeyAns

    /// `HomeNSReq`.
    func homeNS(_ request: HomeNSReq) async throws(JoinServiceError) -> HomeNSAns
}

/// The Join Server could not be asked: transport, TLS or an answer that does not parse.
public enum JoinServiceError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreachable(String)
    case httpStatus(Int)
    case malformedAnswer(String)

    public var description: String {
        switch self {
        case .unreachable(let reason): "the Join Server cannot be reached: \(reason)"
        case .httpStatus(let status): "the Join Server answered HTTP \(status)"
        case .malformedAnswer(let reason): "the Join Server's answer does not parse: \(reason)"
        }
    }
}
