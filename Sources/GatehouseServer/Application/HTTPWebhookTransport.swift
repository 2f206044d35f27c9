public import ApplicationServer
import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// The webhook dispatcher's HTTP client: one shared `HTTPClient` whose connection pool keeps
/// connections to each receiver open between deliveries (HTTP/1.1 keep-alive, or HTTP/2 when the
/// receiver offers it), so thousands of POSTs a second cost no handshake each.
///
/// An attempt has a connect timeout, a deadline for the response head and a limit on silences while
/// reading, all shorter than the dispatcher's lease (``HTTPWebhookTransportConfiguration``). Redirects
/// are not followed: the 3xx status is the answer, which the dispatcher retries, so a receiver cannot
/// send signed events somewhere the operator did not configure. The response body is read up to a
/// bound and discarded; a receiver's answer means nothing beyond its status.
///
/// Errors and logs name the receiver's origin only: a URL's path or query may hold its token.
/// Call ``shutdown()`` once the dispatcher stopped.
public final class HTTPWebhookTransport: WebhookTransport {
    public let configuration: HTTPWebhookTransportConfiguration
    private let client: HTTPClient
    private let logger: Logger

    public init(configuration: HTTPWebhookTransportConfiguration = .init(), logger: Logger) {
        self.configuration = configuration
        var http = HTTPClient.Configuration(
            tlsConfiguration: configuration.tls,
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: configuration.connectTimeout, read: configuration.readTimeout),
            connectionPool: HTTPClient.Configuration.ConnectionPool(
                idleTimeout: configuration.idleTimeout, concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maximumConnectionsPerHost))
        http.decompression = .disabled
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http, backgroundActivityLogger: logger)
        self.logger = logger
    }

    /// POSTs `body` and returns the response's status once its body was read (up to the bound) or given up.
    public func post(url: URL, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for header in headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: .now() + configuration.requestTimeout)
        } catch {
            throw WebhookTransportError(error, origin: Self.origin(url))
        }
        await discard(response.body)
        return Int(response.status.code)
    }

    /// Closes the pooled connections. Posts after this fail.
    public func shutdown() async {
        do {
            try await client.shutdown()
        } catch {
            logger.debug("webhook HTTP client shutdown", metadata: ["error": "\(error)"])
        }
    }

    /// Reads and drops the body, for the connection's sake, until it ends, the bound is reached, the
    /// read deadline passes or the receiver goes silent; what remains unread closes the connection.
    private func discard(_ body: HTTPClientResponse.Body) async {
        let deadline = NIODeadline.now() + configuration.readTimeout
        var remaining = configuration.maximumResponseBodyBytes
        do {
            for try await chunk in body {
                remaining -= chunk.readableBytes
                if remaining < 0 || NIODeadline.now() > deadline { return }
            }
        } catch {
            // The status is known; a body cut short does not change the outcome.
        }
    }

    private static func origin(_ url: URL) -> String {
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(url.scheme ?? "")://\(url.host ?? "")\(port)"
    }
}

/// Why a webhook request got no answer. It names the receiver by origin only (never the path or
/// query, which may hold the receiver's token).
public struct WebhookTransportError: Error, Sendable, CustomStringConvertible {
    /// No answer within the transport's time limits (connect, TLS handshake, response head, a read).
    public let timedOut: Bool
    public let origin: String
    private let detail: String

    init(_ error: any Error, origin: String) {
        self.origin = origin
        let timeouts: [HTTPClientError] = [.connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .tlsHandshakeTimeout]
        timedOut = (error as? HTTPClientError).map(timeouts.contains) ?? false
        detail = String(describing: error)
    }

    public var description: String {
        timedOut ? "\(origin) did not answer in time (\(detail))" : "the request to \(origin) failed (\(detail))"
    }
}
