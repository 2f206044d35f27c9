public import BackendInterfaces
public import LoRaWAN
public import Logging
import NetworkServer
public import Storage

/// Everything `gatehouse serve` needs to know before it starts, as plain values.
///
/// The defaults give a working development server with no configuration at all: data in
/// `./gatehouse-data`, the HTTPS API on every interface at port 8443, and a self-signed
/// certificate created on first start. Build one from the command line and the environment with
/// ``init(commandLine:environment:)``; build one directly in tests.
public struct GatehouseConfiguration: Sendable, Equatable {
    /// The data directory used when the operator names none.
    public static let defaultDataDirectory = "./gatehouse-data"
    /// The address the listeners bind to when the operator names none: every IPv4 interface.
    public static let defaultBindHost = "0.0.0.0"
    /// The HTTPS API port used when the operator names none.
    public static let defaultAPIPort = 8443
    /// The plain-HTTP port for the CRL (relying parties fetch CRLs without TLS, RFC 5280 §4.2.1.13).
    public static let defaultHTTPPort = 8080
    /// The port of the gateway listener, CUPS and LNS on one port. The Things Stack serves LNS on 8887;
    /// one port for both means one firewall rule and one URI host for stations.
    public static let defaultGatewayPort = 8887
    /// The Join Server's Backend Interfaces port: The Things Stack serves its interop HTTPS on 8886 too.
    public static let defaultBackendPort = 8886
    /// Days before expiry at which CUPS hands a station a renewed certificate.
    public static let defaultRenewalDays = 30
    /// How long the Network Server collects one frame's copies when the operator names no window.
    public static let defaultDeduplicationWindow = NetworkServerConfiguration.defaultDeduplicationWindow
    /// The Network Server's uplink workers when the operator names no number.
    public static let defaultUplinkWorkers = NetworkServerConfiguration.defaultUplinkWorkers
    /// The Network Server's uplink backlog limit when the operator names none.
    public static let defaultMaximumUplinkBacklog = NetworkServerConfiguration.defaultMaximumUplinkBacklog

    /// The folder that holds the database, the development certificate and other state.
    public var dataDirectory: String
    /// The host name or IP address the listeners bind to.
    public var bindHost: String
    /// The TCP port of the HTTPS API; 0 asks the operating system for any free port.
    public var apiPort: Int
    /// The least severe level that is logged.
    public var logLevel: Logger.Level
    /// Where the API listener's certificate and private key come from.
    public var tlsIdentity: TLSIdentitySource
    /// The TCP port of the plain-HTTP listener that serves the CRL; 0 asks for any free port.
    public var httpPort: Int
    /// The database: `nil` for the embedded SQLite file in the data directory.
    public var databaseURL: String?
    /// The environment the key-encryption key is read from (`GATEHOUSE_KEK`, `GATEHOUSE_KEK_FILE`).
    public var keyEncryptionKeyEnvironment: [String: String]
    /// The TCP port of the gateway listener (CUPS `POST /update-info` and the LNS websockets); 0 asks
    /// for any free port.
    public var gatewayPort: Int
    /// The host name stations reach the gateway listener by: in the URIs CUPS and router-info hand out
    /// and in the listener's server certificate. `nil`: this machine's host name.
    public var gatewayHost: String?
    /// Days before a gateway certificate expires at which CUPS delivers a renewed one.
    public var renewalDays: Int
    /// New gateway TLS connections allowed per remote address: a burst, then this many per second.
    public var handshakeBurst: Int
    public var handshakesPerSecond: Double
    /// The TCP port of the Join Server's Backend Interfaces listener (HTTPS with client certificates
    /// from our CA naming a Network or Application Server); 0 asks for any free port.
    public var backendPort: Int
    /// Send session keys in clear to a peer without a KEK instead of refusing its joins. Off by default.
    public var allowPlainSessionKeys: Bool
    /// The network's NetID: the DevAddr block devices get at join, and the Network Server's identity
    /// towards the Join Server (`ns:<NetID>`). 000000 is for private and experimental networks.
    public var netID: NetID
    /// How long the Network Server collects copies of one frame from several gateways.
    public var deduplicationWindow: Duration
    /// Frames the Network Server processes at once, each device's frames one after another.
    public var uplinkWorkers: Int
    /// Frames the Network Server holds before it stops reading the gateways' sockets (TCP backpressure).
    public var maximumUplinkBacklog: Int

    /// The Application Server's identity towards the Join Server (`as:gatehouse`).
    public static let applicationServerID = ApplicationServerID("gatehouse")!

    /// Creates a configuration; every parameter has the documented default.
    public init(
        dataDirectory: String = Self.defaultDataDirectory,
        bindHost: String = Self.defaultBindHost,
        apiPort: Int = Self.defaultAPIPort,
        logLevel: Logger.Level = .info,
        tlsIdentity: TLSIdentitySource = .developmentCertificate,
        httpPort: Int = Self.defaultHTTPPort,
        databaseURL: String? = nil,
        keyEncryptionKeyEnvironment: [String: String] = [:],
        gatewayPort: Int = Self.defaultGatewayPort,
        gatewayHost: String? = nil,
        renewalDays: Int = Self.defaultRenewalDays,
        handshakeBurst: Int = 20,
        handshakesPerSecond: Double = 2,
        backendPort: Int = Self.defaultBackendPort,
        allowPlainSessionKeys: Bool = false,
        netID: NetID = NetID(0)!,
        deduplicationWindow: Duration = Self.defaultDeduplicationWindow,
        uplinkWorkers: Int = Self.defaultUplinkWorkers,
        maximumUplinkBacklog: Int = Self.defaultMaximumUplinkBacklog
    ) {
        self.dataDirectory = dataDirectory
        self.bindHost = bindHost
        self.apiPort = apiPort
        self.logLevel = logLevel
        self.tlsIdentity = tlsIdentity
        self.httpPort = httpPort
        self.databaseURL = databaseURL
        self.keyEncryptionKeyEnvironment = keyEncryptionKeyEnvironment
        self.gatewayPort = gatewayPort
        self.gatewayHost = gatewayHost
        self.renewalDays = renewalDays
        self.handshakeBurst = handshakeBurst
        self.handshakesPerSecond = handshakesPerSecond
        self.backendPort = backendPort
        self.allowPlainSessionKeys = allowPlainSessionKeys
        self.netID = netID
        self.deduplicationWindow = deduplicationWindow
        self.uplinkWorkers = uplinkWorkers
        self.maximumUplinkBacklog = maximumUplinkBacklog
    }

    /// The database this configuration names.
    public var storage: StorageConfiguration {
        databaseURL.map { .postgres(url: $0) } ?? .embedded(dataDirectory: dataDirectory)
    }
}

/// Where the API listener's certificate and private key come from.
public enum TLSIdentitySource: Sendable, Equatable {
    /// A self-signed certificate that Gatehouse creates on first start in `<data>/tls/` and reuses after.
    case developmentCertificate
    /// An operator's own PEM files: a certificate (optionally followed by its intermediates) and its key.
    case pemFiles(certificatePath: String, privateKeyPath: String)
}
