import Foundation
import Logging
import NIOCore
import NIOWebSocket

/// Reads a station's websocket until it closes: answers pings, ends on a close or a fragmented
/// message (stations never fragment, basics-station-protocol §3.1), and hands each text message to
/// `handle`, which returns false to end the session. Closes the connection when done.
struct StationMessageLoop {
    let connection: GatewayConnection
    let clock: @Sendable () -> Date
    let logger: Logger

    func run(_ socket: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, handle: ([UInt8]) async throws -> Bool) async {
        do {
            try await socket.executeThenClose { inbound, _ in
                for try await frame in inbound {
                    switch StationFrame(frame) {
                    case .text(let bytes):
                        connection.received(at: clock())
                        guard try await handle(bytes) else { return }
                    case .ping(let data):
                        _ = try await connection.sendFrame(WebSocketFrame(fin: true, opcode: .pong, data: data)).get()
                    case .close:
                        return
                    case .unsupported:
                        connection.refusedMessage()
                        logger.warning("station connection closed: fragmented websocket message")
                        return
                    case .ignored:
                        continue
                    }
                }
            }
        } catch {
            logger.debug("station session ended", metadata: ["error": "\(error)"])
        }
        connection.close()
    }
}
