import NIOCore

/// Closes a connection that has sent nothing for the idle timeout (reacts to `IdleStateHandler`'s
/// read-idle event), so dead stations and slow-loris peers do not hold sockets and memory.
final class CloseOnIdleHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
