/// `Result.ResultCode` of an answer (Backend Interfaces 1.0 Table 24), spelled as on the wire.
///
/// `UnkownReceiver` is the specification's own misspelling, which every implementation sends.
public enum BackendResultCode: String, Hashable, Sendable, CaseIterable {
    case success = "Success"
    case micFailed = "MICFailed"
    case joinReqFailed = "JoinReqFailed"
    case noRoamingAgreement = "NoRoamingAgreement"
    case devRoamingDisallowed = "DevRoamingDisallowed"
    case roamingActDisallowed = "RoamingActDisallowed"
    case activationDisallowed = "ActivationDisallowed"
    case unknownDevEUI = "UnknownDevEUI"
    case unknownDevAddr = "UnknownDevAddr"
    case unknownSender = "UnknownSender"
    case unknownReceiver = "UnkownReceiver"
    case deferred = "Deferred"
    case xmitFailed = "XmitFailed"
    case invalidFPort = "InvalidFPort"
    case invalidProtocolVersion = "InvalidProtocolVersion"
    case staleDeviceProfile = "StaleDeviceProfile"
    case malformedRequest = "MalformedRequest"
    case frameSizeError = "FrameSizeError"
    case other = "Other"

    /// Also reads `UnknownReceiver`, the corrected spelling some peers send.
    public init?(wireName: String) {
        if wireName == "UnknownReceiver" {
            self = .unknownReceiver
        } else {
            self.init(rawValue: wireName)
        }
    }
}

/// `Result`: a code and, for failures, a sentence for the operator on the other side.
public struct BackendResult: Hashable, Sendable, CustomStringConvertible {
    public var code: BackendResultCode
    /// `Result.Description`.
    public var detail: String?

    public init(_ code: BackendResultCode, _ detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    public static let success = BackendResult(.success)

    public var isSuccess: Bool { code == .success }
    public var description: String { detail.map { "\(code.rawValue): \($0)" } ?? code.rawValue }
}
