import NIOCore
import NIOHTTP1

/// Reads the status of an HTTP answer that refused a websocket upgrade, then closes the connection.
///
/// `NIOTypedHTTPClientUpgradeHandler` decides it is not upgrading before it passes the answer on, so
/// this handler is added then and receives the answer's head next.
final class UpgradeRefusalReader: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let promise: EventLoopPromise<HTTPResponseStatus>
    private var settled = false

    /// The refusal's status, or why it could not be read.
    var status: EventLoopFuture<HTTPResponseStatus> { promise.futureResult }

    init(eventLoop: any EventLoop) {
        self.promise = eventLoop.makePromise(of: HTTPResponseStatus.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            settle(.success(head.status))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        settle(.failure(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        settle(.failure(StationConnectionError.connectionClosed))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        settle(.failure(StationConnectionError.connectionClosed))
    }

    private func settle(_ result: Result<HTTPResponseStatus, any Error>) {
        guard !settled else { return }
        settled = true
        promise.completeWith(result)
    }
}
