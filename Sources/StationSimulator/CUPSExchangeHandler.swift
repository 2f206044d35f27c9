import NIOCore
import NIOHTTP1

/// Sends one CUPS request when the connection becomes active and collects the one answer, checking its
/// framing as the station does (Basics Station protocol §2.2): `Content-Length` required, no chunked
/// encoding, nothing beyond the announced body.
///
/// The reply is settled at the end of the read that completed it, not at the body's end, so bytes the
/// server sent after the body in the same read are seen (the HTTP decoder turns them into a second
/// response or an error). Bytes arriving in a later read are not: the station would not see those
/// either, as it closes once the body is read.
final class CUPSExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private enum Phase {
        case sending
        case awaitingHead
        case readingBody
        /// The announced body is complete; settled at the end of this read.
        case bodyComplete
        /// Something followed the announced body.
        case beyondBody
        case settled
    }

    private let request: HTTPRequestHead
    private let requestBody: ByteBuffer
    private let promise: EventLoopPromise<CUPSReply>
    private var phase = Phase.sending
    private var head: HTTPResponseHead?
    private var declaredLength = 0
    private var body: [UInt8] = []
    /// The first error NIO reported before the reply was complete.
    private var firstError: (any Error)?

    /// The server's reply, or why there is none.
    var reply: EventLoopFuture<CUPSReply> { promise.futureResult }

    init(request: HTTPRequestHead, body: ByteBuffer, eventLoop: any EventLoop) {
        self.request = request
        self.requestBody = body
        self.promise = eventLoop.makePromise(of: CUPSReply.self)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { sendRequest(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        sendRequest(context: context)
        context.fireChannelActive()
    }

    private func sendRequest(context: ChannelHandlerContext) {
        guard case .sending = phase else { return }
        phase = .awaitingHead
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(requestBody))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (phase, part) {
        case (.awaitingHead, .head(let head)):
            guard let declared = Self.contentLength(of: head) else {
                settle(context: context, .failure(StationConnectionError.missingContentLength(status: head.status)))
                return
            }
            self.head = head
            declaredLength = declared
            body.reserveCapacity(min(declared, 1 << 16))
            phase = .readingBody
        case (.readingBody, .body(let chunk)):
            body.append(contentsOf: chunk.readableBytesView)
        case (.readingBody, .end):
            phase = body.count == declaredLength ? .bodyComplete : .beyondBody
        case (.bodyComplete, _), (.beyondBody, _):
            phase = .beyondBody
        case (.settled, _):
            break
        default:
            settle(context: context, .failure(StationConnectionError.malformedResponse("unexpected \(part)")))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        settleIfRead(context: context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch phase {
        case .bodyComplete, .beyondBody:
            // The decoder choked on bytes after the body.
            phase = .beyondBody
        case .settled:
            break
        case .sending, .awaitingHead, .readingBody:
            if firstError == nil { firstError = error }
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        settleIfRead(context: context)
        switch phase {
        case .readingBody:
            settle(context: context, .failure(StationConnectionError.contentLengthMismatch(declared: declaredLength, received: body.count)))
        default:
            settle(context: context, .failure(firstError ?? StationConnectionError.connectionClosed))
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        settle(context: context, .failure(firstError ?? StationConnectionError.connectionClosed))
    }

    /// Settles the exchange when the last read completed the reply or went beyond it.
    private func settleIfRead(context: ChannelHandlerContext) {
        switch phase {
        case .bodyComplete:
            guard let head else { return }
            settle(context: context, .success(CUPSReply(status: head.status, headers: head.headers, body: body)))
        case .beyondBody:
            settle(context: context, .failure(StationConnectionError.bytesBeyondContentLength))
        default:
            break
        }
    }

    /// Completes the exchange once and closes the connection, as the station does after one answer.
    private func settle(context: ChannelHandlerContext, _ result: Result<CUPSReply, any Error>) {
        if case .settled = phase { return }
        phase = .settled
        promise.completeWith(result)
        context.close(promise: nil)
    }

    /// The one `Content-Length` of `head` when the body is framed by it alone (no `Transfer-Encoding`).
    static func contentLength(of head: HTTPResponseHead) -> Int? {
        let values = head.headers["Content-Length"]
        guard values.count == 1, !head.headers.contains(name: "Transfer-Encoding") else { return nil }
        // The HTTP decoder has already stripped the optional whitespace around the value.
        guard let length = Int(values[0]), length >= 0 else { return nil }
        return length
    }
}
