import BackendInterfaces
import Synchronization

/// The Network Server's side of the gateway listener in tests: every uplink as it arrived.
final class RecordingTrafficHandler: GatewayTrafficHandler {
    private let uplinks: AsyncStream<GatewayUplink>
    private let continuation: AsyncStream<GatewayUplink>.Continuation
    private let iterator: Mutex<AsyncStream<GatewayUplink>.Iterator?>

    init() {
        (uplinks, continuation) = AsyncStream.makeStream(of: GatewayUplink.self)
        iterator = Mutex(nil)
    }

    func uplinkReceived(_ uplink: GatewayUplink) async { continuation.yield(uplink) }
    func downlinkTransmitted(_ event: GatewayDownlinkTransmitted) async {}

    /// The uplinks received so far and later, in order.
    var received: AsyncStream<GatewayUplink> { uplinks }
}
