import NIOCore
import NIOHTTP1
import NIOWebSocket

/// What an accepted, authenticated connection turned into: a plain HTTP exchange (CUPS) or a
/// websocket on one of the LNS paths.
enum StationUpgrade: Sendable {
    case http(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
    case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, route: StationWebSocketRoute)
}

/// The LNS websocket paths (basics-station-protocol §3.2).
enum StationWebSocketRoute: Sendable, Equatable {
    case routerInfo
    /// `/traffic/<EUI>`: the EUI in the path, which must be the certificate's.
    case traffic(EUI64Text: String)

    init?(path: String) {
        let path = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        if path == "/router-info" {
            self = .routerInfo
        } else if path.hasPrefix("/traffic/"), path.count > "/traffic/".count, path.count <= "/traffic/".count + 23 {
            self = .traffic(EUI64Text: String(path.dropFirst("/traffic/".count)))
        } else {
            return nil
        }
    }
}
