import Hummingbird
import NIOCore

/// The request context of the Backend Interfaces listener: it keeps the channel, whose TLS handler
/// holds the client certificate that names the calling peer.
struct BackendRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
