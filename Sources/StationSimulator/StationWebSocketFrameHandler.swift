import NIOCore
import NIOWebSocket

/// Handles a station's websocket frames on the event loop: delivers text and binary messages to the
/// inbox, answers pings, echoes the server's close, and holds the server to the framing a station
/// accepts (Basics Station protocol §3.1: FIN set, RSV clear, unmasked).
///
/// Pings are answered here rather than by `receive()`, so a connection the benchmark holds idle stays
/// alive. Reads are held back while the inbox is full.
final class StationWebSocketFrameHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let inbox: WebSocketInbox
    /// Whether a close frame went out: the server's close then ends the conversation without an echo.
    private var closeSent = false

    init(inbox: WebSocketInbox) {
        self.inbox = inbox
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if let violation = Self.violation(in: frame) {
            refuse(context: context, violation)
            return
        }
        switch frame.opcode {
        case .text:
            inbox.deliver(.text(String(buffer: frame.data)))
        case .binary:
            inbox.deliver(.binary(Array(frame.data.readableBytesView)))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.data)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .pong:
            break
        case .connectionClose:
            receivedClose(context: context, frame: frame)
        default:
            refuse(context: context, "unknown opcode \(frame.opcode)")
        }
    }

    /// RFC 6455 §5.5.1: answer a close with a close carrying the same code, then close the connection.
    private func receivedClose(context: ChannelHandlerContext, frame: WebSocketFrame) {
        var payload = frame.data
        let code = payload.readWebSocketErrorCode()
        inbox.finish(.closed(code))
        guard !closeSent else {
            context.close(promise: nil)
            return
        }
        closeSent = true
        var echo = context.channel.allocator.buffer(capacity: 2)
        if let code { echo.write(webSocketErrorCode: code) }
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo)
        context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Ends the conversation as RFC 6455 §7.4.1 says for a protocol error: close code 1002.
    private func refuse(context: ChannelHandlerContext, _ violation: String) {
        inbox.finish(.failed(.protocolViolation(violation)))
        guard !closeSent else {
            context.close(promise: nil)
            return
        }
        closeSent = true
        var payload = context.channel.allocator.buffer(capacity: 2)
        payload.write(webSocketErrorCode: .protocolError)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: payload)
        context.writeAndFlush(wrapOutboundOut(frame)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// What a station would refuse in `frame`, if anything.
    static func violation(in frame: WebSocketFrame) -> String? {
        if frame.maskKey != nil { return "the server masked a frame" }
        if frame.rsv1 || frame.rsv2 || frame.rsv3 { return "a reserved bit is set" }
        if !frame.fin || frame.opcode == .continuation { return "the server fragmented a message" }
        return nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if unwrapOutboundIn(data).opcode == .connectionClose {
            closeSent = true
        }
        context.write(data, promise: promise)
    }

    func read(context: ChannelHandlerContext) {
        if inbox.mayRead() {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure: StationConnectionError =
            if error is NIOWebSocketError {
                .protocolViolation(String(describing: error))
            } else {
                StationConnectionError(mapping: error)
            }
        inbox.finish(.failed(failure))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // A close without a close frame: RFC 6455 §7.1.5 calls it 1006, reported as no code.
        inbox.finish(.closed(nil))
        context.fireChannelInactive()
    }
}
