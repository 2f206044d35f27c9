import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTPS request to the REST API on a connection of its own: what `gatehouse events` and
/// `gatehouse downlink` send.
///
/// A small client on SwiftNIO rather than AsyncHTTPClient, which cannot pin a certificate (see
/// ``APITrust``). The connection carries one request and closes; a silence longer than `readTimeout`
/// while waiting for the answer ends it with ``APIReadTimeout``.
struct APIConnection: Sendable {
    let host: String
    let port: Int
    let trust: APITrust
    private let sslContext: NIOSSLContext

    init(host: String, port: Int, trust: APITrust) throws {
        self.host = host
        self.port = port
        self.trust = trust
        do { sslContext = try NIOSSLContext(configuration: trust.tlsConfiguration()) } catch {
            throw CommandLineFailure.invalidData("TLS cannot be set up: \(error)")
        }
    }

    /// The answer's head, and its body chunk by chunk until the answer ends.
    struct Answer {
        let head: HTTPResponseHead
        fileprivate var parts: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator

        /// The next chunk of the body; `nil` at its end.
        mutating func next() async throws -> ByteBuffer? {
            while let part = try await parts.next() {
                switch part {
                case .body(let buffer): return buffer
                case .end: return nil
                case .head: continue
                }
            }
            throw APIConnectionClosed()
        }

        /// The whole body, at most `limit` bytes.
        mutating func collect(upTo limit: Int) async throws -> [UInt8] {
            var bytes: [UInt8] = []
            while let chunk = try await next() {
                guard bytes.count + chunk.readableBytes <= limit else { throw CommandLineFailure.invalidData("the API's answer is too large") }
                bytes += chunk.readableBytesView
            }
            return bytes
        }
    }

    /// Connects, sends `method path` with `headers` and `body`, and hands the answer to `read`; the
    /// connection closes when `read` returns.
    func exchange<T: Sendable>(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: [UInt8]? = nil, readTimeout: TimeAmount,
        _ read: (inout Answer) async throws -> T
    ) async throws -> T {
        let channel = try await connect(readTimeout: readTimeout)
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)
            head.headers.replaceOrAdd(name: "Host", value: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            head.headers.replaceOrAdd(name: "Content-Length", value: "\(body?.count ?? 0)")
            try await outbound.write(.head(head))
            if let body, !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var parts = inbound.makeAsyncIterator()
            guard case .head(let responseHead) = try await parts.next() else { throw APIConnectionClosed() }
            var answer = Answer(head: responseHead, parts: parts)
            return try await read(&answer)
        }
    }

    private func connect(readTimeout: TimeAmount) async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        let (sslContext, trust, host) = (sslContext, trust, host)
        // IP addresses are not host names: no SNI, and the certificate is checked for the address.
        let serverHostname = host.isIPAddress ? nil : host
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls: NIOSSLClientHandler
                    if case .pinned = trust {
                        tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname) { presented, promise in
                            promise.succeed(trust.verifyPinned(presented, now: Date()))
                        }
                    } else {
                        tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                    }
                    try channel.pipeline.syncOperations.addHandler(tls)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: readTimeout))
                    try channel.pipeline.syncOperations.addHandler(ReadTimeoutHandler())
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
    }
}

/// The API sent nothing for longer than the read timeout.
struct APIReadTimeout: Error {}

/// The connection closed before the answer was complete.
struct APIConnectionClosed: Error {}

/// Turns the idle handler's read-timeout event into an error on the inbound stream, and closes.
private final class ReadTimeoutHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(APIReadTimeout())
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension String {
    /// An IPv4 or IPv6 literal.
    var isIPAddress: Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, self, &v4) == 1 || inet_pton(AF_INET6, self, &v6) == 1
    }
}
