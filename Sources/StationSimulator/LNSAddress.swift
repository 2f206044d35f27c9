/// Where an LNS listens: `wss://host:port` with an explicit port, and the path of a traffic URI
/// (basics-station-protocol §3.2: `tc.uri` has no path; the router-info answer's `uri` must have one).
///
/// Only `wss` is accepted: the simulator always speaks TLS, as Gatehouse's LNS requires.
public struct LNSAddress: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// Empty for a `tc.uri`; `/traffic/<EUI>` for a traffic URI.
    public let path: String

    public init(host: String, port: Int, path: String = "") {
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `wss://host:port[/path]`; an IPv6 host goes in brackets.
    public init(parsing text: String) throws(SimulatedStationError) {
        let prefix = "wss://"
        guard text.lowercased().hasPrefix(prefix) else {
            throw .invalidLNSAddress("'\(text.prefix(128))' does not start with wss:// (the simulator only speaks TLS)")
        }
        let rest = text.dropFirst(prefix.count)
        let authority = rest.prefix { $0 != "/" }
        let path = String(rest.dropFirst(authority.count))
        let host: Substring
        let portText: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]"), authority[authority.index(after: close)...].hasPrefix(":") else {
                throw .invalidLNSAddress("'\(text.prefix(128))' needs [IPv6]:port")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            portText = authority[authority.index(close, offsetBy: 2)...]
        } else {
            guard let colon = authority.lastIndex(of: ":") else {
                throw .invalidLNSAddress("'\(text.prefix(128))' has no port (Basics Station needs an explicit port)")
            }
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { throw .invalidLNSAddress("'\(text.prefix(128))' has no host") }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            throw .invalidLNSAddress("'\(text.prefix(128))' has no valid port")
        }
        self.init(host: String(host), port: port, path: path)
    }

    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "wss://\(shownHost):\(port)\(path)"
    }
}
