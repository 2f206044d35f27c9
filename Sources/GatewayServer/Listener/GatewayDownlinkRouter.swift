import BackendInterfaces
import Foundation
import LoRaWAN
import NIOCore

/// Sends the Network Server's downlinks as `dnmsg` on the gateway's live traffic connection.
public struct GatewayDownlinkRouter: GatewayDownlinkSender {
    let registry: GatewayConnectionRegistry
    let clock: @Sendable () -> Date

    public init(registry: GatewayConnectionRegistry, clock: @escaping @Sendable () -> Date = Date.init) {
        self.registry = registry
        self.clock = clock
    }

    public func send(_ downlink: GatewayDownlink, through gateway: EUI64) async throws {
        guard let connection = registry.trafficConnection(of: gateway) else { throw GatewayDownlinkError.gatewayNotConnected(gateway) }
        let text = try DownlinkMessage(downlink, muxTime: clock()).encoded()
        try await connection.send(text: text).get()
        connection.sentDownlink()
    }
}

public enum GatewayDownlinkError: Error, Sendable, Equatable, CustomStringConvertible {
    case gatewayNotConnected(EUI64)

    public var description: String {
        switch self {
        case .gatewayNotConnected(let eui): "gateway \(eui) has no live traffic connection"
        }
    }
}
