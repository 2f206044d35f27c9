/// Where a running API listener can be reached.
public struct APIEndpoint: Sendable, Equatable {
    /// The address the listener is bound to, as configured.
    public let bindHost: String
    /// The TCP port actually bound.
    public let port: Int
    /// The certificate a client should trust to connect.
    public let certificatePath: String
    /// The TCP port of the plain-HTTP listener (the CRL), actually bound.
    public let httpPort: Int
    /// The TCP port of the gateway listener (CUPS and LNS over mutual TLS), actually bound.
    public let gatewayPort: Int
    /// The TCP port of the Join Server's Backend Interfaces listener (HTTPS, client certificates), actually bound.
    public let backendPort: Int

    public init(bindHost: String, port: Int, certificatePath: String, httpPort: Int, gatewayPort: Int, backendPort: Int) {
        self.bindHost = bindHost
        self.port = port
        self.certificatePath = certificatePath
        self.httpPort = httpPort
        self.gatewayPort = gatewayPort
        self.backendPort = backendPort
    }

    /// The Join Server's Backend Interfaces URL on this machine.
    public var backendURL: String { "https://\(host):\(backendPort)" }

    /// The CUPS URI of the gateway listener on this machine.
    public var cupsURL: String { "https://\(host):\(gatewayPort)" }

    /// The CRL's URL on this machine.
    public var crlURL: String { "http://\(host):\(httpPort)/crl" }

    /// An `https` URL a client on this machine can use. A wildcard bind address is replaced by
    /// `localhost`, which the development certificate names.
    public var url: String { "https://\(host):\(port)" }

    private var host: String {
        switch bindHost {
        case "0.0.0.0", "::", "": "localhost"
        case let ipv6 where ipv6.contains(":"): "[\(ipv6)]"
        default: bindHost
        }
    }
}
