import GatewayPKI
import LoRaWAN
import StrictJSON

/// The station's LNS discovery request on `/router-info` (basics-station-protocol §3.2):
/// `{"router":"16:c001:ff10:a235"}`.
public struct RouterInfoRequest: Sendable, Equatable {
    /// The gateway EUI the station claims; the handler must check it against the client certificate.
    public var router: EUI64

    public init(router: EUI64) { self.router = router }

    /// Decodes the request frame. `router` may be ID6, 16 hex digits (with separators) or an integer.
    public init(decoding bytes: [UInt8]) throws(StationProtocolError) {
        router = try StationRouterID.eui(in: try StationJSON.message(bytes), acceptsInteger: true)
    }
}

/// The answer to a ``RouterInfoRequest``: where the station's traffic connection goes, or why it may
/// not connect. The station closes the discovery socket after it and connects to `uri`.
public enum RouterInfoResponse: Sendable, Equatable {
    /// `{"router":"<ID6>","muxs":"<id>","uri":"wss://host:port/traffic/<EUI>"}`.
    case traffic(router: EUI64, muxs: String, uri: StationTrafficURI)
    /// `{"error":"..."}`: the station treats the LNS as rejecting it and, after retries, asks CUPS.
    case rejected(reason: String)

    /// The text frame to send.
    public func encoded() throws(StationEncodingError) -> String {
        var object = JSONObject()
        switch self {
        case .traffic(let router, let muxs, let uri):
            object.append("router", .string(router.id6))
            object.append("muxs", .string(muxs))
            object.append("uri", .string(uri.text))
        case .rejected(let reason):
            object.append("error", .string(reason))
        }
        return try StationJSON.frame(.object(object))
    }
}

/// The router-info `uri`: `ws://` or `wss://`, host, explicit port and a path other than `/`, fewer
/// than 128 characters (basics-station-protocol §3.2). Unlike `tc.uri`, it must have a path.
public struct StationTrafficURI: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    /// Scheme, host and port, checked as `tc.uri` is.
    public let server: BasicsStationURI
    /// The path, starting with `/`.
    public let path: String

    public init(_ text: String) throws(StationEncodingError) {
        guard text.utf8.count < StationFrameLimits.uriLengthLimit else {
            throw .invalidTrafficURI(reason: "it has \(text.utf8.count) characters; the station accepts fewer than 128")
        }
        guard let separator = text.firstRange(of: "://"),
            let slash = text[separator.upperBound...].firstIndex(of: "/")
        else {
            throw .invalidTrafficURI(reason: "it needs scheme://host:port/path")
        }
        let path = String(text[slash...])
        guard path.utf8.count > 1 else { throw .invalidTrafficURI(reason: "the path is empty") }
        guard path.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "#") }) else {
            throw .invalidTrafficURI(reason: "the path must be printable ASCII without spaces or a fragment")
        }
        do {
            server = try BasicsStationURI(String(text[..<slash]), for: .tc)
        } catch {
            throw .invalidTrafficURI(reason: error.description)
        }
        self.text = text
        self.path = path
    }

    /// `<server>/traffic/<EUI>`, the path convention Gatehouse (like The Things Stack) uses.
    public init(server: BasicsStationURI, gateway: EUI64) throws(StationEncodingError) {
        try self.init("\(server.text)/traffic/\(gateway)")
    }

    public var description: String { text }
}
