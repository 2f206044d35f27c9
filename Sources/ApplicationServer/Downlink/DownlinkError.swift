import LoRaWAN

/// Why an application downlink was refused. The HTTP layer maps these to status codes in one place:
/// the input ones to 400, the session ones to 409, an unavailable Network Server or store to 503.
public enum DownlinkError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidFPort(Int)
    case invalidBase64
    /// Longer than the device's current downlink data rate allows (or than any data rate).
    case payloadTooLong(size: Int, maximum: Int)
    /// The Application Server holds no session for the device: it has not joined (or its AppSKey
    /// could not be obtained).
    case noSession(EUI64)
    /// The Network Server's current session of the device is one whose AppSKey this server does not
    /// hold (yet): encrypting with another session's key would give the device garbage.
    case sessionNotReady(EUI64)
    /// The Network Server refused to reserve a counter or to queue the frame.
    case networkServerRefused(String)
    /// A session could not be read.
    case storageFailed(String)

    public var description: String {
        switch self {
        case .invalidFPort(let port): "FPort \(port) is not an application port (1-223)"
        case .invalidBase64: "the payload is not valid base64"
        case .payloadTooLong(let size, let maximum): "the payload is \(size) bytes; the device's current data rate allows \(maximum)"
        case .noSession(let devEUI): "device \(devEUI) has no session: it has not joined"
        case .sessionNotReady(let devEUI): "device \(devEUI) is in a session whose AppSKey is not available yet; try again"
        case .networkServerRefused(let reason): "the Network Server refused the downlink: \(reason)"
        case .storageFailed(let reason): "the session could not be read: \(reason)"
        }
    }
}
