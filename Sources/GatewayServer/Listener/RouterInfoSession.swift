import Foundation
import GatewayPKI
import LoRaWAN
import Logging
import NIOCore
import NIOWebSocket

/// LNS discovery on `/router-info` (basics-station-protocol §3.2): one `{"router": ...}` in, the
/// gateway's traffic URI (or `{"error": ...}`) out, then the station closes.
struct RouterInfoSession {
    let configuration: GatewayListenerConfiguration
    let connection: GatewayConnection
    let clock: @Sendable () -> Date
    let logger: Logger
    /// What the muxs field says; stations only log it.
    static let muxs = "gatehouse"

    func serve(_ socket: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async {
        await StationMessageLoop(connection: connection, clock: clock, logger: logger).run(socket) { bytes in
            _ = try await connection.send(text: answer(bytes)).get()
            // The station closes after the answer; we do not wait for it.
            return false
        }
    }

    private func answer(_ bytes: [UInt8]) -> String {
        let response: RouterInfoResponse
        do {
            let request = try RouterInfoRequest(decoding: bytes)
            if request.router == connection.identity.eui {
                let port = configuration.publicPort ?? connection.localPort ?? configuration.port
                let server = try BasicsStationURI("wss://\(configuration.publicHost):\(port)", for: .tc)
                response = .traffic(router: request.router, muxs: Self.muxs, uri: try StationTrafficURI(server: server, gateway: request.router))
            } else {
                connection.refusedMessage()
                logger.warning("router-info refused: router EUI is not the certificate's", metadata: ["claimed": "\(request.router)"])
                response = .rejected(reason: "router \(request.router.id6) is not the EUI of the client certificate")
            }
        } catch {
            connection.refusedMessage()
            logger.warning("router-info refused", metadata: ["reason": "\(error)"])
            response = .rejected(reason: "\(error)")
        }
        return (try? response.encoded()) ?? #"{"error":"internal error"}"#
    }
}
