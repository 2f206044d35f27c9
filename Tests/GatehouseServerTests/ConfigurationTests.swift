import GatehouseServer
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
}
