import NIOCore
import NIOSSL

/// Watches a client TLS session until the server's first application data arrives, and reports
/// whether TLS failed before that.
///
/// A refused client certificate, an untrusted server, a host-name mismatch or no shared TLS version
/// all surface as an error from `NIOSSLClientHandler` before the server has said anything, and then as
/// a closed channel to the HTTP handlers above. The observer sits right above the TLS handler, so it
/// sees the cause first; the exchange reports `StationConnectionError.tlsHandshakeFailed` with it.
/// Once application data flows it removes itself, so an open connection does not pay for it.
final class TLSSessionObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let verdict: EventLoopPromise<String?>
    private var settled = false

    /// `nil` once TLS has carried application data; the reason TLS failed otherwise.
    var tlsFailure: EventLoopFuture<String?> { verdict.futureResult }

    init(eventLoop: any EventLoop) {
        self.verdict = eventLoop.makePromise(of: String?.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        settle(nil)
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // TLS 1.3 reports a refused client certificate after the client's handshake completed, so a TLS
        // error counts until the first application data, not only until the handshake. A connection
        // closed during the handshake is a TLS error too (NIOSSL reports an EOF during the handshake).
        if StationConnectionError.isTLSError(error) {
            settle(String(describing: error))
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        settle(nil)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        settle(nil)
    }

    /// The first verdict stands.
    private func settle(_ failure: String?) {
        guard !settled else { return }
        settled = true
        verdict.succeed(failure)
    }
}
