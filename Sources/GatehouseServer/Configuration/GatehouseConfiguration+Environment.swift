import LoRaWAN
import Logging

extension GatehouseConfiguration {
    /// The settings an operator typed on the command line, as text; `nil` means "not given".
    ///
    /// Values stay text here so that every check, and every error sentence, lives in
    /// ``GatehouseConfiguration/init(commandLine:environment:)`` rather than in the argument parser.
    public struct CommandLineValues: Sendable, Equatable {
        public var dataDirectory: String?
        public var bindHost: String?
        public var apiPort: String?
        public var tlsCertificatePath: String?
        public var tlsPrivateKeyPath: String?
        public var logLevel: String?
        public var httpPort: String?
        public var databaseURL: String?
        public var gatewayPort: String?
        public var gatewayHost: String?
        public var renewalDays: String?
        public var handshakeLimit: String?
        public var backendPort: String?
        public var netID: String?
        public var deduplicationWindowMilliseconds: String?
        public var uplinkWorkers: String?
        public var uplinkBacklog: String?
        /// `--allow-plain-session-keys` was given.
        public var allowPlainSessionKeys: Bool

        public init(
            dataDirectory: String? = nil,
            bindHost: String? = nil,
            apiPort: String? = nil,
            tlsCertificatePath: String? = nil,
            tlsPrivateKeyPath: String? = nil,
            logLevel: String? = nil,
            httpPort: String? = nil,
            databaseURL: String? = nil,
            gatewayPort: String? = nil,
            gatewayHost: String? = nil,
            renewalDays: String? = nil,
            handshakeLimit: String? = nil,
            backendPort: String? = nil,
            allowPlainSessionKeys: Bool = false,
            netID: String? = nil,
            deduplicationWindowMilliseconds: String? = nil,
            uplinkWorkers: String? = nil,
            uplinkBacklog: String? = nil
        ) {
            self.dataDirectory = dataDirectory
            self.bindHost = bindHost
            self.apiPort = apiPort
            self.tlsCertificatePath = tlsCertificatePath
            self.tlsPrivateKeyPath = tlsPrivateKeyPath
            self.logLevel = logLevel
            self.httpPort = httpPort
            self.databaseURL = databaseURL
            self.gatewayPort = gatewayPort
            self.gatewayHost = gatewayHost
            self.renewalDays = renewalDays
            self.handshakeLimit = handshakeLimit
            self.backendPort = backendPort
            self.allowPlainSessionKeys = allowPlainSessionKeys
            self.netID = netID
            self.deduplicationWindowMilliseconds = deduplicationWindowMilliseconds
            self.uplinkWorkers = uplinkWorkers
            self.uplinkBacklog = uplinkBacklog
        }
    }

    /// The environment variables Gatehouse reads, and the command-line option that overrides each.
    public enum Setting: String, Sendable, CaseIterable {
        case dataDirectory = "GATEHOUSE_DATA_DIR"
        case bindHost = "GATEHOUSE_BIND"
        case apiPort = "GATEHOUSE_API_PORT"
        case tlsCertificatePath = "GATEHOUSE_TLS_CERT"
        case tlsPrivateKeyPath = "GATEHOUSE_TLS_KEY"
        case logLevel = "GATEHOUSE_LOG_LEVEL"
        case httpPort = "GATEHOUSE_HTTP_PORT"
        case databaseURL = "GATEHOUSE_DATABASE_URL"
        case gatewayPort = "GATEHOUSE_GATEWAY_PORT"
        case gatewayHost = "GATEHOUSE_GATEWAY_HOST"
        case renewalDays = "GATEHOUSE_RENEWAL_DAYS"
        case handshakeLimit = "GATEHOUSE_HANDSHAKE_LIMIT"
        case backendPort = "GATEHOUSE_BACKEND_PORT"
        case allowPlainSessionKeys = "GATEHOUSE_ALLOW_PLAIN_SESSION_KEYS"
        case netID = "GATEHOUSE_NET_ID"
        case deduplicationWindowMilliseconds = "GATEHOUSE_DEDUPLICATION_WINDOW_MS"
        case uplinkWorkers = "GATEHOUSE_UPLINK_WORKERS"
        case uplinkBacklog = "GATEHOUSE_UPLINK_BACKLOG"

        /// The environment variable that sets this value.
        public var environmentVariable: String { rawValue }

        /// The command-line option that sets this value and wins over the environment.
        public var option: String {
            switch self {
            case .dataDirectory: "--data-dir"
            case .bindHost: "--bind"
            case .apiPort: "--api-port"
            case .tlsCertificatePath: "--tls-cert"
            case .tlsPrivateKeyPath: "--tls-key"
            case .logLevel: "--log-level"
            case .httpPort: "--http-port"
            case .databaseURL: "--database-url"
            case .gatewayPort: "--gateway-port"
            case .gatewayHost: "--gateway-host"
            case .renewalDays: "--renewal-days"
            case .handshakeLimit: "--handshake-limit"
            case .backendPort: "--backend-port"
            case .allowPlainSessionKeys: "--allow-plain-session-keys"
            case .netID: "--net-id"
            case .deduplicationWindowMilliseconds: "--deduplication-window-ms"
            case .uplinkWorkers: "--uplink-workers"
            case .uplinkBacklog: "--uplink-backlog"
            }
        }
    }

    /// Builds the configuration from command-line values and the process environment.
    ///
    /// A command-line value wins over its environment variable; a value given nowhere takes the
    /// default. Nothing is touched on disk here: a missing data directory is created at start-up.
    ///
    /// - Throws: ``GatehouseConfigurationError`` naming the option or variable at fault.
    public init(
        commandLine: CommandLineValues,
        environment: [String: String]
    ) throws(GatehouseConfigurationError) {
        func given(_ setting: Setting, _ commandLineValue: String?) throws(GatehouseConfigurationError) -> SettingValue? {
            let value: SettingValue? =
                if let commandLineValue {
                    SettingValue(text: commandLineValue, origin: .commandLine(option: setting.option))
                } else if let environmentValue = environment[setting.environmentVariable] {
                    SettingValue(text: environmentValue, origin: .environment(variable: setting.environmentVariable))
                } else {
                    nil
                }
            if let value, value.text.allSatisfy(\.isWhitespace) {
                throw .emptyValue(origin: value.origin)
            }
            return value
        }

        self.init()
        if let value = try given(.dataDirectory, commandLine.dataDirectory) {
            dataDirectory = value.text
        }
        if let value = try given(.bindHost, commandLine.bindHost) {
            bindHost = try Self.parseBindHost(value)
        }
        if let value = try given(.apiPort, commandLine.apiPort) {
            apiPort = try Self.parsePort(value)
        }
        if let value = try given(.logLevel, commandLine.logLevel) {
            logLevel = try Self.parseLogLevel(value)
        }
        if let value = try given(.httpPort, commandLine.httpPort) {
            httpPort = try Self.parsePort(value)
        }
        if let value = try given(.databaseURL, commandLine.databaseURL) {
            let url = value.text.trimmingWhitespace
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw .invalidDatabaseURL(origin: value.origin)
            }
            databaseURL = url
        }
        if let value = try given(.gatewayPort, commandLine.gatewayPort) {
            gatewayPort = try Self.parsePort(value)
        }
        if let value = try given(.gatewayHost, commandLine.gatewayHost) {
            gatewayHost = try Self.parseBindHost(value)
        }
        if let value = try given(.renewalDays, commandLine.renewalDays) {
            renewalDays = try Self.parseWholeNumber(value, of: "days", in: 1...365)
        }
        if let value = try given(.handshakeLimit, commandLine.handshakeLimit) {
            // BURST/RATE, e.g. 20/2: a burst of 20 handshakes per address, then 2 per second.
            let parts = value.text.trimmingWhitespace.split(separator: "/")
            guard parts.count == 2, let burst = Int(parts[0]), (1...1_000_000).contains(burst), let rate = Double(parts[1]), rate > 0, rate.isFinite
            else {
                throw .invalidNumber(value.text, expected: "BURST/RATE, e.g. 20/2 (handshakes per address, then per second)", origin: value.origin)
            }
            handshakeBurst = burst
            handshakesPerSecond = rate
        }
        if let value = try given(.backendPort, commandLine.backendPort) {
            backendPort = try Self.parsePort(value)
        }
        if commandLine.allowPlainSessionKeys {
            allowPlainSessionKeys = true
        } else if let value = try given(.allowPlainSessionKeys, nil) {
            switch value.text.trimmingWhitespace.lowercased() {
            case "1", "true", "yes", "on": allowPlainSessionKeys = true
            case "0", "false", "no", "off": allowPlainSessionKeys = false
            default: throw .invalidNumber(value.text, expected: "true or false", origin: value.origin)
            }
        }
        if let value = try given(.netID, commandLine.netID) {
            do {
                netID = try NetID(parsing: value.text.trimmingWhitespace)
            } catch {
                throw .invalidNumber(value.text, expected: "a NetID of 6 hex digits, e.g. 000013", origin: value.origin)
            }
        }
        if let value = try given(.deduplicationWindowMilliseconds, commandLine.deduplicationWindowMilliseconds) {
            deduplicationWindow = .milliseconds(try Self.parseWholeNumber(value, of: "milliseconds", in: 1...10_000))
        }
        if let value = try given(.uplinkWorkers, commandLine.uplinkWorkers) {
            uplinkWorkers = try Self.parseWholeNumber(value, of: "workers", in: 1...4_096)
        }
        if let value = try given(.uplinkBacklog, commandLine.uplinkBacklog) {
            maximumUplinkBacklog = try Self.parseWholeNumber(value, of: "frames", in: 1...10_000_000)
        }
        keyEncryptionKeyEnvironment = environment.filter { $0.key.hasPrefix("GATEHOUSE_KEK") }
        let certificate = try given(.tlsCertificatePath, commandLine.tlsCertificatePath)
        let privateKey = try given(.tlsPrivateKeyPath, commandLine.tlsPrivateKeyPath)
        switch (certificate, privateKey) {
        case (nil, nil):
            tlsIdentity = .developmentCertificate
        case (let certificate?, let privateKey?):
            tlsIdentity = .pemFiles(certificatePath: certificate.text, privateKeyPath: privateKey.text)
        case (let certificate?, nil):
            throw .incompleteTLSIdentity(given: certificate.origin, missing: .tlsPrivateKeyPath)
        case (nil, let privateKey?):
            throw .incompleteTLSIdentity(given: privateKey.origin, missing: .tlsCertificatePath)
        }
    }

    private static func parsePort(_ value: SettingValue) throws(GatehouseConfigurationError) -> Int {
        guard let port = Int(value.text.trimmingWhitespace), (0...65_535).contains(port) else {
            throw .invalidPort(value.text, origin: value.origin)
        }
        return port
    }

    /// A whole number within `range`; the error names the unit and the range as the operator types them.
    private static func parseWholeNumber(
        _ value: SettingValue, of unit: String, in range: ClosedRange<Int>
    ) throws(GatehouseConfigurationError) -> Int {
        guard let number = Int(value.text.trimmingWhitespace), range.contains(number) else {
            throw .invalidNumber(value.text, expected: "a whole number of \(unit) from \(range.lowerBound) to \(range.upperBound)", origin: value.origin)
        }
        return number
    }

    private static func parseLogLevel(_ value: SettingValue) throws(GatehouseConfigurationError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: value.text.trimmingWhitespace.lowercased()) else {
            throw .invalidLogLevel(value.text, origin: value.origin)
        }
        return level
    }

    /// Accepts a host name or an IPv4/IPv6 literal; whether it can be bound is learnt at start-up.
    private static func parseBindHost(_ value: SettingValue) throws(GatehouseConfigurationError) -> String {
        let host = value.text.trimmingWhitespace
        let allowed = host.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-:_%".unicodeScalars.contains(scalar))
        }
        guard allowed else {
            throw .invalidBindHost(value.text, origin: value.origin)
        }
        return host
    }
}

/// A setting's text and where it came from, so that an error can name its origin.
private struct SettingValue {
    var text: String
    var origin: SettingOrigin
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
