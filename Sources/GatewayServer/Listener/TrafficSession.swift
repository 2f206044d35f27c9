import BackendInterfaces
import Foundation
import LoRaWAN
import Logging
import NIOCore
import NIOWebSocket

/// The LNS traffic websocket `/traffic/<EUI>` (basics-station-protocol §3.3, §3.4): `version` is
/// answered with the gateway's `router_config`; uplinks (`jreq`, `rejoin`, `updf`, `propdf`) become
/// ``GatewayUplink``s with the exact PHYPayload and go to the Network Server through
/// ``GatewayTrafficHandler``; `dntxed` closes the loop of a downlink; `timesync` is answered.
struct TrafficSession {
    let pathEUI: String
    let connection: GatewayConnection
    let frequencyPlans: any GatewayFrequencyPlans
    let traffic: any GatewayTrafficHandler
    let clock: @Sendable () -> Date
    let logger: Logger

    func serve(_ socket: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async {
        let gateway = connection.identity.eui
        // DESIGN invariant 4: the path names the certificate's gateway.
        guard let claimed = try? EUI64(parsing: pathEUI), claimed == gateway else {
            logger.warning("traffic connection refused: path EUI is not the certificate's", metadata: ["path": "\(pathEUI.prefix(32))"])
            connection.refusedMessage()
            await close(socket, code: .policyViolation)
            return
        }
        await StationMessageLoop(connection: connection, clock: clock, logger: logger).run(socket) { bytes in
            try await handle(bytes, from: gateway)
        }
        logger.info("gateway traffic connection closed")
    }

    /// Handles one station message; returns false when the session must end.
    private func handle(_ bytes: [UInt8], from gateway: EUI64) async throws -> Bool {
        let message: StationMessage
        do { message = try StationMessage(decoding: bytes, from: gateway) } catch {
            // One bad message does not cost the gateway its connection; it is counted and logged.
            connection.refusedMessage()
            logger.warning("station message dropped", metadata: ["reason": "\(error)"])
            return true
        }
        switch message {
        case .version(let version):
            connection.stationReported(version: version.station)
            guard let plan = try await frequencyPlans.frequencyPlan(of: gateway) else {
                logger.warning("traffic connection closed: the gateway is no longer registered")
                return false
            }
            let config = try RouterConfig(parameters: plan.parameters, muxTime: clock()).encoded()
            _ = try await connection.send(text: config).get()
            logger.info("gateway connected", metadata: ["station": "\(version.station)", "region": "\(plan)"])
        case .uplink(_, let uplink):
            connection.receivedUplink()
            await traffic.uplinkReceived(uplink)
        case .downlinkTransmitted(let event):
            await traffic.downlinkTransmitted(event)
        case .timeSync(let request):
            if let gps = TimeSyncReply.gpsMicroseconds(at: clock()) {
                _ = try await connection.send(text: try request.reply(gpsTime: gps).encoded()).get()
            }
        case .unknown(let msgtype):
            logger.debug("station message ignored", metadata: ["msgtype": "\(msgtype)"])
        }
        return true
    }

    private func close(_ socket: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, code: WebSocketErrorCode) async {
        var data = ByteBuffer()
        data.write(webSocketErrorCode: code)
        _ = try? await connection.sendFrame(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)).get()
        connection.close()
    }
}
