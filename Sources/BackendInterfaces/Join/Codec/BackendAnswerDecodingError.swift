/// Why an answer body from a Join Server does not decode. Names fields, never their values.
public enum BackendAnswerDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    case tooLarge(size: Int, limit: Int)
    case invalidJSON(String)
    /// `MessageType` is missing, unknown, or names a request.
    case notAnAnswer(String)
    case malformedField(field: String, reason: String)

    public var description: String {
        switch self {
        case .tooLarge(let size, let limit): "the answer is \(size) bytes, more than \(limit)"
        case .invalidJSON(let reason): "the answer is not a JSON object: \(reason)"
        case .notAnAnswer(let reason): "the body is not an answer: \(reason)"
        case .malformedField(let field, let reason): "\(field) \(reason)"
        }
    }
}
