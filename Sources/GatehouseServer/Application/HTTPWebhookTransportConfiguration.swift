import ApplicationServer
public import NIOCore
public import NIOSSL

/// How webhook requests are sent: time limits, connection pool and TLS.
///
/// Every limit is there so that a receiver cannot hold a dispatcher slot for long: one attempt ends,
/// whatever the receiver does, within ``requestTimeout`` plus one ``readTimeout``, which
/// ``fitting(_:)`` keeps well inside the dispatcher's lease (a delivery whose lease ends while its
/// attempt still runs would be claimed and sent a second time).
public struct HTTPWebhookTransportConfiguration: Sendable {
    /// Establishing the TCP connection (and the TLS handshake).
    public var connectTimeout: TimeAmount
    /// From the start of an attempt to the response's status line and headers.
    public var requestTimeout: TimeAmount
    /// The longest silence while the response (or its body) is being read.
    public var readTimeout: TimeAmount
    /// Bytes of a response body read (and discarded) before the connection is given up: enough to keep a
    /// keep-alive connection for the usual short answers, never a receiver's whole download.
    public var maximumResponseBodyBytes: Int
    /// Connections kept per receiver (host and port). The dispatcher holds at most its per-webhook
    /// attempt limit in flight to one webhook; ``fitting(_:)`` allows twice that, for webhooks that share
    /// a host.
    public var maximumConnectionsPerHost: Int
    /// How long an idle keep-alive connection is kept for the next delivery.
    public var idleTimeout: TimeAmount
    /// TLS for `https` receivers: the system's trust roots, TLS 1.2 or later, host names checked.
    public var tls: TLSConfiguration

    public init(
        connectTimeout: TimeAmount = .seconds(5), requestTimeout: TimeAmount = .seconds(30), readTimeout: TimeAmount = .seconds(10),
        maximumResponseBodyBytes: Int = 64 << 10, maximumConnectionsPerHost: Int = 32, idleTimeout: TimeAmount = .seconds(60),
        tls: TLSConfiguration = Self.defaultTLS
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.readTimeout = readTimeout
        self.maximumResponseBodyBytes = max(0, maximumResponseBodyBytes)
        self.maximumConnectionsPerHost = max(1, maximumConnectionsPerHost)
        self.idleTimeout = idleTimeout
        self.tls = tls
    }

    /// Full verification against the system's roots, TLS 1.2 at least.
    public static var defaultTLS: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        return tls
    }

    /// The longest one attempt can take: until the response head, then one silence while reading the body.
    public var longestAttempt: TimeAmount { requestTimeout + readTimeout }

    /// This configuration with its time limits shortened, if need be, so that one attempt takes at
    /// most half of `lease`, and with room for the dispatcher's per-webhook concurrency.
    public func fitting(_ dispatcher: WebhookDispatcherConfiguration) -> HTTPWebhookTransportConfiguration {
        var fitted = self
        let half = TimeAmount.nanoseconds(Self.nanoseconds(dispatcher.lease) / 2)
        if fitted.longestAttempt > half {
            // Keep the proportions: a third for the silence while reading, the rest for the head.
            fitted.readTimeout = min(fitted.readTimeout, .nanoseconds(half.nanoseconds / 3))
            fitted.requestTimeout = half - fitted.readTimeout
            fitted.connectTimeout = min(fitted.connectTimeout, fitted.requestTimeout)
        }
        fitted.maximumConnectionsPerHost = max(fitted.maximumConnectionsPerHost, 2 * dispatcher.maximumConcurrentAttemptsPerWebhook)
        return fitted
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? .max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
