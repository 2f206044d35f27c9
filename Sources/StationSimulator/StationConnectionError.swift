import NIOCore
import NIOHTTP1
import NIOSSL

/// Why a station's connection to CUPS or the LNS failed, in the order a connection meets them.
public enum StationConnectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No TCP connection could be made (name resolution, refused, unreachable).
    case connectionFailed(String)
    /// The TLS session failed before the server sent any application data: the server refused the
    /// client certificate, the server's certificate or host name did not verify, no TLS version or
    /// cipher suite was shared, or the server closed the connection mid-handshake. The text is the
    /// underlying NIOSSL error with BoringSSL's reason (for example `TLSV1_ALERT_UNKNOWN_CA`,
    /// `TLSV1_ALERT_PROTOCOL_VERSION`, or `SSLV3_ALERT_HANDSHAKE_FAILURE` for a missing client
    /// certificate over TLS 1.2).
    ///
    /// With TLS 1.3 a server refuses a client certificate only after the client has finished its half
    /// of the handshake, so that refusal is reported here too.
    case tlsHandshakeFailed(String)
    /// The server answered a websocket upgrade request with a status other than 101.
    case upgradeRefused(status: HTTPResponseStatus)
    /// The server answered 101 but not as RFC 6455 §4.1 requires (no `Upgrade: websocket`, or a wrong
    /// `Sec-WebSocket-Accept`).
    case invalidUpgradeResponse(String)
    /// A CUPS answer without `Content-Length` (the station reads no body then; chunked encoding is not
    /// understood). Basics Station protocol §2.2.
    case missingContentLength(status: HTTPResponseStatus)
    /// The connection closed before the body the server's `Content-Length` announced was complete.
    case contentLengthMismatch(declared: Int, received: Int)
    /// More bytes followed the body the server's `Content-Length` announced. Basics Station protocol §2.2.
    case bytesBeyondContentLength
    /// The server's HTTP answer could not be parsed.
    case malformedResponse(String)
    /// The server broke the framing rules the station enforces (Basics Station protocol §3.1): a
    /// fragmented, masked or over-long frame, reserved bits set, or an unknown opcode.
    case protocolViolation(String)
    /// The connection closed before the exchange finished.
    case connectionClosed
    /// A message was sent after the connection closed.
    case notConnected
    /// Another task is already waiting in `receive()` on the same websocket.
    case concurrentReceive
    /// The task waiting on the connection was cancelled; the connection is closed.
    case cancelled

    public var description: String {
        switch self {
        case .connectionFailed(let reason):
            "The TCP connection could not be made: \(reason)"
        case .tlsHandshakeFailed(let reason):
            "The TLS handshake failed: \(reason)"
        case .upgradeRefused(let status):
            "The server refused the websocket upgrade with \(status.code) \(status.reasonPhrase)."
        case .invalidUpgradeResponse(let reason):
            "The server's websocket upgrade answer is invalid: \(reason)"
        case .missingContentLength(let status):
            "The server answered \(status.code) without a Content-Length."
        case .contentLengthMismatch(let declared, let received):
            "The server announced \(declared) body bytes but the connection closed after \(received)."
        case .bytesBeyondContentLength:
            "The server sent bytes beyond the body its Content-Length announced."
        case .malformedResponse(let reason):
            "The server's HTTP answer is malformed: \(reason)"
        case .protocolViolation(let reason):
            "The server broke the websocket framing a station accepts: \(reason)"
        case .connectionClosed:
            "The connection closed before the exchange finished."
        case .notConnected:
            "The connection is closed."
        case .concurrentReceive:
            "Another task is already receiving on this websocket."
        case .cancelled:
            "The task was cancelled and the connection closed."
        }
    }

    /// Whether `error` comes from the TLS layer (BoringSSL or NIOSSL's own checks).
    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    /// Maps an error NIO raised while the connection was in use (the TCP connection exists).
    init(mapping error: any Error) {
        switch error {
        case let error as StationConnectionError:
            self = error
        case _ where Self.isTLSError(error):
            self = .tlsHandshakeFailed(String(describing: error))
        case let error as NIOHTTPClientUpgradeError:
            self = .invalidUpgradeResponse(String(describing: error))
        case let error as HTTPParserError:
            self = .malformedResponse(String(describing: error))
        case is CancellationError:
            self = .cancelled
        default:
            self = .connectionClosed
        }
    }
}
