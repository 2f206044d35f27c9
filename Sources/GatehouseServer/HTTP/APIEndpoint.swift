/// Where a running API listener can be reached.
public struct APIEndpoint: Sendable, Equatable {
    /// The address the listener is bound to, as configured.
    public let bindHost: String
    /// The TCP port actually bound.
    public let port: Int
    /// The certificate a client should trust to connect.
    public let certificatePath: String

    /// An `https` URL a client on this machine can use. A wildcard bind address is replaced by
    /// `localhost`, which the development certificate names.
    public var url: String {
        let host =
            switch bindHost {
            case "0.0.0.0", "::", "": "localhost"
            case let ipv6 where ipv6.contains(":"): "[\(ipv6)]"
            default: bindHost
            }
        return "https://\(host):\(port)"
    }
}
