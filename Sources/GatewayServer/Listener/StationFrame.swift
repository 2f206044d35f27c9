import NIOCore
import NIOWebSocket

/// A websocket frame as a station session sees it: station frames are unfragmented (FIN set), one
/// JSON object per text frame (basics-station-protocol §3.1).
enum StationFrame {
    case text([UInt8])
    case ping(ByteBuffer)
    case close
    /// Binary frames (rmtsh only, which Gatehouse never starts) and pongs.
    case ignored
    /// A fragmented message: stations never send one, so it is refused and the socket closed.
    case unsupported

    init(_ frame: WebSocketFrame) {
        switch frame.opcode {
        case .text where frame.fin:
            var data = frame.unmaskedData
            self = .text(data.readBytes(length: data.readableBytes) ?? [])
        case .text, .continuation:
            self = .unsupported
        case .ping:
            self = .ping(frame.unmaskedData)
        case .connectionClose:
            self = .close
        default:
            self = .ignored
        }
    }
}
