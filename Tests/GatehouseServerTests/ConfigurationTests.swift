import GatehouseServer
import LoRaWAN
import NetworkServer
import Testing

@Suite("Configuration from the command line and the environment")
struct ConfigurationTests {
    @Test("with nothing given, the documented defaults apply")
    func defaults() throws {
        let configuration = try GatehouseConfiguration(commandLine: .init(), environment: [:])
        #expect(configuration == GatehouseConfiguration())
        #expect(configuration.dataDirectory == "./gatehouse-data")
        #expect(configuration.bindHost == "0.0.0.0")
        #expect(configuration.apiPort == 8443)
        #expect(configuration.tlsIdentity == .developmentCertificate)
    }

    @Test("environment variables set every value")
    func environment() throws {
        let configuration = try GatehouseConfiguration(
            commandLine: .init(),
            environment: [
                "GATEHOUSE_DATA_DIR": "/var/lib/gatehouse",
                "GATEHOUSE_BIND": "127.0.0.1",
                "GATEHOUSE_API_PORT": "9443",
                "GATEHOUSE_LOG_LEVEL": "debug",
                "GATEHOUSE_TLS_CERT": "/etc/gatehouse/api.crt",
                "GATEHOUSE_TLS_KEY": "/etc/gatehouse/api.key",
            ]
        )
        #expect(configuration.dataDirectory == "/var/lib/gatehouse")
        #expect(configuration.bindHost == "127.0.0.1")
        #expect(configuration.apiPort == 9443)
        #expect("\(configuration.logLevel)" == "debug")
        #expect(configuration.tlsIdentity == .pemFiles(certificatePath: "/etc/gatehouse/api.crt", privateKeyPath: "/etc/gatehouse/api.key"))
    }

    @Test("a command-line option wins over its environment variable")
    func commandLineWins() throws {
        let configuration = try GatehouseConfiguration(
            commandLine: .init(dataDirectory: "/srv/data", apiPort: "10443"),
            environment: ["GATEHOUSE_DATA_DIR": "/var/lib/gatehouse", "GATEHOUSE_API_PORT": "9443", "GATEHOUSE_BIND": "::1"]
        )
        #expect(configuration.dataDirectory == "/srv/data")
        #expect(configuration.apiPort == 10443)
        #expect(configuration.bindHost == "::1")
    }

    @Test("a port out of range is refused with a sentence naming its origin", arguments: ["65536", "-1", "https", "84 43"])
    func invalidPort(value: String) {
        let error = #expect(throws: GatehouseConfigurationError.self) {
            try GatehouseConfiguration(commandLine: .init(), environment: ["GATEHOUSE_API_PORT": value])
        }
        #expect(error == .invalidPort(value, origin: .environment(variable: "GATEHOUSE_API_PORT")))
        #expect(
            error?.description
                == "The environment variable GATEHOUSE_API_PORT is \"\(value)\", which is not a TCP port: use a whole number from 1 to 65535 (or 0 for any free port)."
        )
    }

    @Test("an unknown log level is refused")
    func invalidLogLevel() {
        #expect(throws: GatehouseConfigurationError.invalidLogLevel("loud", origin: .commandLine(option: "--log-level"))) {
            try GatehouseConfiguration(commandLine: .init(logLevel: "loud"), environment: [:])
        }
    }

    @Test("an empty value is refused rather than silently defaulted")
    func emptyValue() {
        #expect(throws: GatehouseConfigurationError.emptyValue(origin: .environment(variable: "GATEHOUSE_DATA_DIR"))) {
            try GatehouseConfiguration(commandLine: .init(), environment: ["GATEHOUSE_DATA_DIR": ""])
        }
    }

    @Test("a bind address with characters no host name has is refused")
    func invalidBindHost() {
        #expect(throws: GatehouseConfigurationError.invalidBindHost("0.0.0.0; rm", origin: .commandLine(option: "--bind"))) {
            try GatehouseConfiguration(commandLine: .init(bindHost: "0.0.0.0; rm"), environment: [:])
        }
    }

    @Test("a certificate without its key is refused, naming the missing option")
    func certificateWithoutKey() {
        let error = #expect(throws: GatehouseConfigurationError.self) {
            try GatehouseConfiguration(commandLine: .init(tlsCertificatePath: "/etc/api.crt"), environment: [:])
        }
        #expect(error == .incompleteTLSIdentity(given: .commandLine(option: "--tls-cert"), missing: .tlsPrivateKeyPath))
        #expect(error?.description.contains("--tls-key (or GATEHOUSE_TLS_KEY) is missing") == true)
    }

    @Test("with nothing given, the Network Server's uplink settings are its own defaults")
    func uplinkDefaults() throws {
        let configuration = try GatehouseConfiguration(commandLine: .init(), environment: [:])
        let networkServer = NetworkServerConfiguration(netID: NetID(0)!)
        #expect(configuration.deduplicationWindow == networkServer.deduplicationWindow)
        #expect(configuration.uplinkWorkers == networkServer.uplinkWorkers)
        #expect(configuration.maximumUplinkBacklog == networkServer.maximumUplinkBacklog)
    }

    @Test("the uplink options set the deduplication window, the workers and the backlog")
    func uplinkOptions() throws {
        let configuration = try GatehouseConfiguration(
            commandLine: .init(deduplicationWindowMilliseconds: "350", uplinkWorkers: "128", uplinkBacklog: "50000"), environment: [:])
        #expect(configuration.deduplicationWindow == .milliseconds(350))
        #expect(configuration.uplinkWorkers == 128)
        #expect(configuration.maximumUplinkBacklog == 50_000)
    }

    @Test("the uplink settings accept the ends of their ranges", arguments: [("1", "1", "1"), ("10000", "4096", "10000000")])
    func uplinkRangeEnds(window: String, workers: String, backlog: String) throws {
        let configuration = try GatehouseConfiguration(
            commandLine: .init(deduplicationWindowMilliseconds: window, uplinkWorkers: workers, uplinkBacklog: backlog), environment: [:])
        #expect(configuration.deduplicationWindow == .milliseconds(Int(window)!))
        #expect(configuration.uplinkWorkers == Int(workers)!)
        #expect(configuration.maximumUplinkBacklog == Int(backlog)!)
    }

    @Test("environment variables set the uplink settings, and the options win over them")
    func uplinkEnvironment() throws {
        let environment = ["GATEHOUSE_DEDUPLICATION_WINDOW_MS": "400", "GATEHOUSE_UPLINK_WORKERS": "8", "GATEHOUSE_UPLINK_BACKLOG": "2000"]
        let fromEnvironment = try GatehouseConfiguration(commandLine: .init(), environment: environment)
        #expect(fromEnvironment.deduplicationWindow == .milliseconds(400))
        #expect(fromEnvironment.uplinkWorkers == 8)
        #expect(fromEnvironment.maximumUplinkBacklog == 2_000)
        let fromCommandLine = try GatehouseConfiguration(
            commandLine: .init(deduplicationWindowMilliseconds: "100", uplinkWorkers: "16", uplinkBacklog: "3000"), environment: environment)
        #expect(fromCommandLine.deduplicationWindow == .milliseconds(100))
        #expect(fromCommandLine.uplinkWorkers == 16)
        #expect(fromCommandLine.maximumUplinkBacklog == 3_000)
    }

    /// The Network Server's uplink options, with values each must refuse.
    enum UplinkOption: String, CaseIterable, Sendable {
        case deduplicationWindow = "--deduplication-window-ms"
        case workers = "--uplink-workers"
        case backlog = "--uplink-backlog"

        var refused: [String] {
            switch self {
            case .deduplicationWindow: ["0", "10001", "-5", "200ms", "fast"]
            case .workers: ["0", "4097", "-1", "many", "6 4"]
            case .backlog: ["0", "10000001", "-10", "10,000", "lots"]
            }
        }

        var expected: String {
            switch self {
            case .deduplicationWindow: "a whole number of milliseconds from 1 to 10000"
            case .workers: "a whole number of workers from 1 to 4096"
            case .backlog: "a whole number of frames from 1 to 10000000"
            }
        }

        func commandLine(_ value: String) -> GatehouseConfiguration.CommandLineValues {
            switch self {
            case .deduplicationWindow: .init(deduplicationWindowMilliseconds: value)
            case .workers: .init(uplinkWorkers: value)
            case .backlog: .init(uplinkBacklog: value)
            }
        }
    }

    @Test("an uplink option out of range or not a number is refused, naming the option and the range", arguments: UplinkOption.allCases)
    func invalidUplinkOption(option: UplinkOption) {
        for value in option.refused {
            let error = #expect(throws: GatehouseConfigurationError.self) {
                try GatehouseConfiguration(commandLine: option.commandLine(value), environment: [:])
            }
            #expect(error == .invalidNumber(value, expected: option.expected, origin: .commandLine(option: option.rawValue)))
            #expect(error?.description == "The option \(option.rawValue) is \"\(value)\"; expected \(option.expected).")
        }
    }

    @Test("a bad uplink setting in the environment is refused, naming the variable")
    func invalidUplinkEnvironment() {
        #expect(
            throws: GatehouseConfigurationError.invalidNumber(
                "0", expected: "a whole number of workers from 1 to 4096", origin: .environment(variable: "GATEHOUSE_UPLINK_WORKERS"))
        ) {
            try GatehouseConfiguration(commandLine: .init(), environment: ["GATEHOUSE_UPLINK_WORKERS": "0"])
        }
    }
}
