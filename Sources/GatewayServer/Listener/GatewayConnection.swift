import Foundation
import LoRaWAN
import NIOCore
import NIOWebSocket
import Synchronization

/// One live, authenticated station connection: a CUPS exchange, a router-info socket or a traffic
/// socket. The registry keeps it so that a revocation can close it and the API can show it.
public final class GatewayConnection: Sendable {
    public enum Kind: String, Sendable, Codable {
        case cups
        case routerInfo = "router-info"
        case traffic
    }

    public let id: UInt64
    public let identity: GatewayIdentity
    public let kind: Kind
    public let remoteAddress: String
    public let connectedAt: Date
    private let channel: any Channel
    private let activity: Mutex<Activity>

    private struct Activity {
        var station: String?
        var lastSeen: Date
        var messagesReceived = 0
        var uplinks = 0
        var downlinks = 0
        var refusedMessages = 0
    }

    init(id: UInt64, identity: GatewayIdentity, kind: Kind, remoteAddress: String, connectedAt: Date, channel: any Channel) {
        self.id = id
        self.identity = identity
        self.kind = kind
        self.remoteAddress = remoteAddress
        self.connectedAt = connectedAt
        self.channel = channel
        activity = Mutex(Activity(lastSeen: connectedAt))
    }

    /// Closes the connection (from any thread); the channel's close unregisters it.
    public func close() {
        channel.close(promise: nil)
    }

    /// Sends one text frame: FIN set, unmasked, as the station requires (protocol §3.1).
    func send(text: String) -> EventLoopFuture<Void> {
        sendFrame(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
    }

    func sendFrame(_ frame: WebSocketFrame) -> EventLoopFuture<Void> {
        channel.writeAndFlush(frame)
    }

    /// The local port the station connected to (what it should reconnect to).
    var localPort: Int? { channel.localAddress?.port }

    func received(at time: Date) {
        activity.withLock {
            $0.messagesReceived += 1
            $0.lastSeen = time
        }
    }

    func receivedUplink() { activity.withLock { $0.uplinks += 1 } }
    func sentDownlink() { activity.withLock { $0.downlinks += 1 } }
    func refusedMessage() { activity.withLock { $0.refusedMessages += 1 } }
    func stationReported(version: String) { activity.withLock { $0.station = version } }

    public var status: GatewayConnectionStatus {
        activity.withLock { activity in
            GatewayConnectionStatus(
                gatewayEUI: identity.eui, kind: kind, remoteAddress: remoteAddress, certificateSerial: identity.serial,
                station: activity.station, connectedAt: connectedAt, lastSeen: activity.lastSeen,
                messagesReceived: activity.messagesReceived, uplinks: activity.uplinks, downlinks: activity.downlinks,
                refusedMessages: activity.refusedMessages)
        }
    }
}

/// What the API shows about a live connection.
public struct GatewayConnectionStatus: Sendable, Equatable {
    public var gatewayEUI: EUI64
    public var kind: GatewayConnection.Kind
    public var remoteAddress: String
    public var certificateSerial: String
    /// The station's `version` message (`2.0.6(linux/std) ...`), once received.
    public var station: String?
    public var connectedAt: Date
    public var lastSeen: Date
    public var messagesReceived: Int
    public var uplinks: Int
    public var downlinks: Int
    /// Messages dropped as malformed or not allowed (e.g. an EUI other than the certificate's).
    public var refusedMessages: Int
}
