import Foundation
import NIOCore
import LoRaWAN

/// Where and how the gateway listener (CUPS and LNS on one TLS port) listens, and the limits it keeps
/// against misbehaving or hostile peers.
public struct GatewayListenerConfiguration: Sendable {
    /// The address to bind.
    public var bindHost: String
    /// The port to bind; 0 for any free port.
    public var port: Int
    /// The host name stations reach us by: the host of the URIs CUPS and router-info hand out.
    public var publicHost: String
    /// The port stations reach us by, when a proxy or NAT maps another one; `nil`: the bound port.
    public var publicPort: Int?
    /// Largest websocket message or CUPS body accepted from a station.
    public var maximumMessageBytes: Int
    /// A connection with no inbound bytes for this long is closed (stations send at least a
    /// websocket ping or traffic well within a minute; CUPS exchanges are one request).
    public var idleTimeout: TimeAmount
    /// New TLS connections per remote address: burst and sustained rate.
    public var handshakeBurst: Int
    public var handshakesPerSecond: Double

    public init(
        bindHost: String = "127.0.0.1", port: Int = 0, publicHost: String = "localhost", publicPort: Int? = nil,
        maximumMessageBytes: Int = StationFrameLimits.maximumInboundMessageBytes, idleTimeout: TimeAmount = .seconds(120),
        handshakeBurst: Int = 20, handshakesPerSecond: Double = 2
    ) {
        self.bindHost = bindHost
        self.port = port
        self.publicHost = publicHost
        self.publicPort = publicPort
        self.maximumMessageBytes = maximumMessageBytes
        self.idleTimeout = idleTimeout
        self.handshakeBurst = handshakeBurst
        self.handshakesPerSecond = handshakesPerSecond
    }
}
