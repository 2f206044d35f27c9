import ArgumentParser
import Foundation
import GatehouseServer

/// `gatehouse serve`: runs the server until SIGTERM or SIGINT.
///
/// Options are read as text and checked by `GatehouseConfiguration`, so that a bad value gives the
/// same sentence whether it came from an option or from the environment.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Gatehouse server.",
        discussion: """
            Every option can also be set with an environment variable; the option wins. With no \
            configuration, data lives in \(GatehouseConfiguration.defaultDataDirectory) and a development \
            TLS certificate is created there on first start.
            """
    )

    @Option(name: .customLong("data-dir"), help: "Data directory (env GATEHOUSE_DATA_DIR; default ./gatehouse-data).")
    var dataDirectory: String?

    @Option(name: .customLong("bind"), help: "Address to listen on (env GATEHOUSE_BIND; default 0.0.0.0).")
    var bindHost: String?

    @Option(name: .customLong("api-port"), help: "HTTPS API port, 0 for any free port (env GATEHOUSE_API_PORT; default 8443).")
    var apiPort: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain for the API (env GATEHOUSE_TLS_CERT; default: a development certificate).")
    var tlsCertificatePath: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert (env GATEHOUSE_TLS_KEY).")
    var tlsPrivateKeyPath: String?

    @Option(name: .customLong("http-port"), help: "Plain-HTTP port serving the CRL at /crl, 0 for any free port (env GATEHOUSE_HTTP_PORT; default 8080).")
    var httpPort: String?

    @Option(name: .customLong("database-url"), help: "PostgreSQL URL for several instances (env GATEHOUSE_DATABASE_URL; default: SQLite in the data directory).")
    var databaseURL: String?

    @Option(name: .customLong("gateway-port"), help: "Gateway listener port for LoRa Basics Station CUPS and LNS over mutual TLS, 0 for any free port (env GATEHOUSE_GATEWAY_PORT; default 8887).")
    var gatewayPort: String?

    @Option(name: .customLong("gateway-host"), help: "Host name stations use to reach the gateway listener, put in CUPS/LNS URIs and its certificate (env GATEHOUSE_GATEWAY_HOST; default: this machine's host name).")
    var gatewayHost: String?

    @Option(name: .customLong("renewal-days"), help: "Days before expiry at which CUPS delivers a renewed gateway certificate (env GATEHOUSE_RENEWAL_DAYS; default 30).")
    var renewalDays: String?

    @Option(name: .customLong("handshake-limit"), help: "Gateway TLS handshakes per remote address as BURST/RATE (env GATEHOUSE_HANDSHAKE_LIMIT; default 20/2: a burst of 20, then 2 per second).")
    var handshakeLimit: String?

    @Option(name: .customLong("backend-port"), help: "Join Server Backend Interfaces port, HTTPS with client certificates from `gatehouse js peer add`, 0 for any free port (env GATEHOUSE_BACKEND_PORT; default 8886).")
    var backendPort: String?

    @Flag(name: .customLong("allow-plain-session-keys"), help: "Send session keys unwrapped to a Network or Application Server without a KEK instead of refusing its joins; each is logged as a warning (env GATEHOUSE_ALLOW_PLAIN_SESSION_KEYS).")
    var allowPlainSessionKeys = false

    @Option(name: .customLong("net-id"), help: "The network's NetID: the DevAddr block devices get at join, and the Network Server's identity towards the Join Server (env GATEHOUSE_NET_ID; default 000000, for private networks).")
    var netID: String?

    @Option(name: .customLong("deduplication-window-ms"), help: "Milliseconds the Network Server collects copies of one frame from several gateways, 1 to 10000: longer catches more gateways' copies, shorter delivers sooner (env GATEHOUSE_DEDUPLICATION_WINDOW_MS; default \(Int(GatehouseConfiguration.defaultDeduplicationWindow / .milliseconds(1)))).")
    var deduplicationWindowMilliseconds: String?

    @Option(name: .customLong("uplink-workers"), help: "Frames the Network Server processes at once, 1 to 4096; each device's frames stay in order in one lane (env GATEHOUSE_UPLINK_WORKERS; default \(GatehouseConfiguration.defaultUplinkWorkers)).")
    var uplinkWorkers: String?

    @Option(name: .customLong("uplink-backlog"), help: "Frames the Network Server holds before it stops reading gateway connections, so TCP backpressure slows the stations, 1 to 10000000 (env GATEHOUSE_UPLINK_BACKLOG; default \(GatehouseConfiguration.defaultMaximumUplinkBacklog)).")
    var uplinkBacklog: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env GATEHOUSE_LOG_LEVEL; default info).")
    var logLevel: String?

    func run() async throws {
        let configuration: GatehouseConfiguration
        do {
            configuration = try GatehouseConfiguration(
                commandLine: .init(
                    dataDirectory: dataDirectory,
                    bindHost: bindHost,
                    apiPort: apiPort,
                    tlsCertificatePath: tlsCertificatePath,
                    tlsPrivateKeyPath: tlsPrivateKeyPath,
                    logLevel: logLevel,
                    httpPort: httpPort,
                    databaseURL: databaseURL,
                    gatewayPort: gatewayPort,
                    gatewayHost: gatewayHost,
                    renewalDays: renewalDays,
                    handshakeLimit: handshakeLimit,
                    backendPort: backendPort,
                    allowPlainSessionKeys: allowPlainSessionKeys, netID: netID,
                    deduplicationWindowMilliseconds: deduplicationWindowMilliseconds,
                    uplinkWorkers: uplinkWorkers,
                    uplinkBacklog: uplinkBacklog
                ),
                environment: ProcessInfo.processInfo.environment
            )
        } catch {
            throw CommandLineFailure.usage(error.description)
        }
        ProcessLogging.bootstrap(level: configuration.logLevel)
        do {
            let server = try GatehouseServer(configuration: configuration) { endpoint in
                // Standard output carries the facts a person starting the server needs; the log
                // (standard error) has the same and more.
                let banner = """
                    Gatehouse \(GatehouseVersion.current) is listening on \(endpoint.url)
                    Trust this certificate in clients: \(endpoint.certificatePath)
                    Try: curl --cacert \(endpoint.certificatePath) \(endpoint.url)/healthz
                    CRL: \(endpoint.crlURL)
                    Join Server (LoRaWAN Backend Interfaces, mutual TLS): \(endpoint.backendURL) — add Network and Application Servers with `gatehouse js peer add`
                    Gateways (LoRa Basics Station CUPS and LNS, mutual TLS): \(endpoint.cupsURL) — stations trust the root CA (`gatehouse ca list`)

                    """
                try? FileHandle.standardOutput.write(contentsOf: Data(banner.utf8))
            }
            try await server.runUntilShutdownSignal()
        } catch let error as TLSIdentityError {
            throw CommandLineFailure.invalidData(error.description)
        } catch let error as GatehouseServerError {
            throw CommandLineFailure.invalidData(error.description)
        }
    }
}
