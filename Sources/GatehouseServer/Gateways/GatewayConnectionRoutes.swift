import Foundation
import GatewayPKI
import GatewayServer
import Hummingbird
import LoRaWAN

/// `/api/v1` routes of the gateway listener's live state: connected stations with their remote
/// address, station version, connected-since, last-seen and message counters.
struct GatewayConnectionRoutes {
    let pki: GatewayPKIService
    let registry: GatewayConnectionRegistry

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("connections") { _, _ in
            GatewayConnectionListResponse(connections: registry.statuses().map(GatewayConnectionResponse.init))
        }
        group.get("gateways/:eui/connections") { _, context in
            let gateway = try parseEUI(try context.parameters.require("eui"), field: "eui")
            _ = try await pki.gateway(gateway)
            return GatewayConnectionListResponse(
                connections: registry.statuses().filter { $0.gatewayEUI == gateway }.map(GatewayConnectionResponse.init))
        }
    }
}

struct GatewayConnectionResponse: ResponseEncodable {
    var gatewayEUI: String
    var kind: String
    var remoteAddress: String
    var certificateSerial: String
    var station: String?
    var connectedAt: Date
    var lastSeen: Date
    var messagesReceived: Int
    var uplinks: Int
    var downlinks: Int
    var refusedMessages: Int

    init(_ status: GatewayConnectionStatus) {
        gatewayEUI = status.gatewayEUI.description
        kind = status.kind.rawValue
        remoteAddress = status.remoteAddress
        certificateSerial = status.certificateSerial
        station = status.station
        connectedAt = status.connectedAt
        lastSeen = status.lastSeen
        messagesReceived = status.messagesReceived
        uplinks = status.uplinks
        downlinks = status.downlinks
        refusedMessages = status.refusedMessages
    }
}

struct GatewayConnectionListResponse: ResponseEncodable {
    var connections: [GatewayConnectionResponse]
}
