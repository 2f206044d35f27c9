import BackendInterfaces
import LoRaWAN

/// Why the AppSKey of a new session could not be obtained from the Join Server. Never carries key
/// bytes: only labels, result codes and sentences.
public enum AppSKeyFetchError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The Join Server could not be asked (transport, TLS, an answer that does not parse).
    case joinServerUnavailable(JoinServiceError)
    /// The Join Server answered with a failure `Result` (`UnknownDevEUI`, `ActivationDisallowed`...).
    case refused(BackendResultCode, detail: String?)
    /// A successful answer without an `AppSKey` envelope.
    case missingKey
    /// The answer is about another device or session than the one asked for.
    case answerMismatch(String)
    /// The envelope names a key-encryption key this Application Server does not have.
    case unknownKEKLabel(String)
    /// The envelope does not unwrap under the KEK it names (wrong KEK, or tampered in transit).
    case unwrapFailed(label: String)
    /// The envelope is not a 16-byte key.
    case malformedKey(String)
    /// The Join Server sent the AppSKey in clear, and this Application Server is not configured to
    /// accept that.
    case plainKeyRefused

    public var description: String {
        switch self {
        case .joinServerUnavailable(let error): "the AppSKey could not be requested: \(error)"
        case .refused(let code, let detail): "the Join Server refused the AppSKey: \(code.rawValue)\(detail.map { ": \($0)" } ?? "")"
        case .missingKey: "the Join Server's AppSKeyAns carries no AppSKey"
        case .answerMismatch(let reason): "the Join Server's AppSKeyAns does not answer the request: \(reason)"
        case .unknownKEKLabel(let label): "the AppSKey is wrapped under KEK \"\(label)\", which this Application Server does not have"
        case .unwrapFailed(let label): "the AppSKey wrapped under KEK \"\(label)\" does not unwrap (wrong key or tampered)"
        case .malformedKey(let reason): "the AppSKey envelope is malformed: \(reason)"
        case .plainKeyRefused: "the Join Server sent the AppSKey unwrapped, which this Application Server refuses"
        }
    }

    /// A short stable name for metric labels.
    public var metricLabel: String {
        switch self {
        case .joinServerUnavailable: "unavailable"
        case .refused(let code, _): code.rawValue
        case .missingKey: "missing_key"
        case .answerMismatch: "answer_mismatch"
        case .unknownKEKLabel: "unknown_kek"
        case .unwrapFailed: "unwrap_failed"
        case .malformedKey: "malformed_key"
        case .plainKeyRefused: "plain_key_refused"
        }
    }
}
