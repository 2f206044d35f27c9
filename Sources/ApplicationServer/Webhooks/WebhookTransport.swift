import Foundation

/// Sends one webhook request. The server layer implements it with an HTTP client (with connect and
/// response timeouts shorter than the dispatcher's lease, and no redirects followed); tests script it.
public protocol WebhookTransport: Sendable {
    /// POSTs `body` to `url` with `headers`; returns the response's status code. Throws when no
    /// response arrived (connection, TLS, timeout).
    func post(url: URL, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int
}

/// What a webhook attempt's result means for the delivery.
public enum WebhookAttemptOutcome: Sendable, Equatable {
    case delivered
    /// The receiver refused this request for good: retrying the same bytes cannot help.
    case refused
    case retry

    /// `2xx` delivered; `4xx` refused, except `408 Request Timeout` and `429 Too Many Requests`, which
    /// ask to come back later; everything else (`5xx`, and `1xx`/`3xx`, which a webhook should not
    /// answer) is retried.
    public init(status: Int) {
        switch status {
        case 200...299: self = .delivered
        case 408, 429: self = .retry
        case 400...499: self = .refused
        default: self = .retry
        }
    }
}
