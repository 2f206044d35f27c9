import StrictJSON

/// Why a request body does not decode, and so what the Join Server answers (reference §3.6, §4).
///
/// DESIGN.md: malformed input never yields a 5xx. Both clients drop the body of a non-2xx answer
/// (reference §1.1), so whenever an answer header can be built the failure is answered with HTTP 200
/// and a `Result`; only a body that does not even say which request it is gets HTTP 400.
public enum BackendDecodingFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// No answer can be addressed: the body is too large, not JSON, not an object, or its
    /// `MessageType` is missing, unknown or not a request. Answer HTTP 400 with ``responseBody``.
    case unanswerable(String)
    /// The header was read far enough to answer: answer HTTP 200 with ``answer``. `header` is the
    /// request's header as read (a missing ID is empty, a missing TransactionID 0; after an unknown
    /// `ProtocolVersion` it says 1.0, the version the answer is written in); `result` says what is
    /// wrong: `InvalidProtocolVersion` or `MalformedRequest` with a `Description` that names the field.
    case answerable(header: BackendHeader, result: BackendResult)

    /// The answer to send with HTTP 200, or `nil` when the failure is unanswerable.
    public var answer: BackendAnswer? {
        switch self {
        case .unanswerable: nil
        case .answerable(let header, let result): BackendAnswer(failing: header, result)
        }
    }

    /// What to send back: the encoded ``answer``; for an unanswerable body, a JSON object with only
    /// `Result` (`MalformedRequest` and the reason), friendlier to a human with curl than the empty
    /// body The Things Stack sends.
    public var responseBody: [UInt8] {
        switch self {
        case .answerable: return answer?.encoded() ?? []
        case .unanswerable(let reason):
            var body = JSONObject()
            body.append("Result", BackendResult(.malformedRequest, reason).json)
            return JSONValue.object(body).serialized
        }
    }

    public var description: String {
        switch self {
        case .unanswerable(let reason): "unanswerable Backend Interfaces request: \(reason)"
        case .answerable(let header, let result): "\(header.messageType.rawValue) answered \(result)"
        }
    }
}
