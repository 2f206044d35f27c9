import GatewayPKI
import ServiceLifecycle

/// Keeps the live revocation state current with revocations made outside this process (the CLI,
/// other instances), until shutdown.
struct RevocationFollower: Service {
    let pki: GatewayPKIService

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await pki.followRevocations()
        }
    }
}
