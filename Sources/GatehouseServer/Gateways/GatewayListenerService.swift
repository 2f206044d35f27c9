import GatewayServer
import ServiceLifecycle

/// The gateway listener as a swift-service-lifecycle service: serves until cancelled or until a
/// graceful shutdown, then closes every station connection.
struct GatewayListenerService: Service {
    let listener: GatewayListener
    let onBound: @Sendable (Int) async -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await listener.run(onBound: onBound)
        }
    }
}
