import ArgumentParser
import Foundation
import GatehouseServer

extension BenchCommand {
    /// `gatehouse bench uplinks`: see ``UplinkBenchmark``.
    struct Uplinks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End to end through gatehouse serve (a child process): joins, then uplinks from simulated stations to a webhook and the event stream.",
            discussion: """
                Provisions a CA, the gateways with certificates, an application with a webhook to a receiver in this process, \
                and the devices (LoRaWAN 1.1 and 1.0.3 alternating); starts the server on them; connects one simulated LoRa \
                Basics Station per gateway over mutual TLS; joins every device; then sends uplinks at each offered rate and \
                times each from the station writing its updf to the signed webhook POST and to the event on GET /api/v1/events.
                """)

        @Option(help: "Simulated gateways (stations), each with its own certificate.") var gateways: Int = 1000
        @Option(name: .customLong("devices-per-gateway"), help: "Devices behind each gateway.") var devicesPerGateway: Int = 10
        @Option(help: "Offered uplink rates per second, comma-separated; 0 or max sends as fast as the stations write.") var rates: String = "1000,5000,max"
        @Option(help: "Seconds of uplinks at each rate.") var seconds: Double = 10
        @Option(name: .customLong("join-concurrency"), help: "Join-requests waiting for their join-accept at once.") var joinConcurrency: Int = 200
        @Option(help: "Uplinks being written at once (sending tasks).") var senders: Int = 256
        @Option(name: .customLong("deduplication-window-ms"), help: "The server's deduplication window, ms (200 as deployed).")
        var deduplicationWindowMilliseconds: Int = 200
        @Option(name: .customLong("warm-up-rate"), help: "Rate of the warm-up step, one uplink per device with cold caches, reported on its own row (0: none).")
        var warmUpRate: Double = 1000
        @Option(name: .customLong("drain-seconds"), help: "After a step's last uplink, how long to wait at most for its events.") var drainSeconds: Double = 60
        @Flag(name: .customLong("without-webhook"), help: "Give the application no webhook: the stream path alone, to see what the durable webhook path costs.")
        var withoutWebhook = false
        @Flag(name: .customLong("keep"), help: "Keep the temporary data directory (database, server log) afterwards.") var keep = false

        func run() async throws {
            guard (1...20_000).contains(gateways) else { throw CommandLineFailure.usage("--gateways must be 1 to 20000") }
            guard (1...100).contains(devicesPerGateway) else { throw CommandLineFailure.usage("--devices-per-gateway must be 1 to 100") }
            guard seconds > 0, seconds <= 600 else { throw CommandLineFailure.usage("--seconds must be in (0, 600]") }
            guard warmUpRate >= 0, warmUpRate <= 1_000_000 else { throw CommandLineFailure.usage("--warm-up-rate must be 0 to 1000000") }
            guard drainSeconds > 0, drainSeconds <= 3600 else { throw CommandLineFailure.usage("--drain-seconds must be in (0, 3600]") }
            guard (1...5_000).contains(joinConcurrency) else { throw CommandLineFailure.usage("--join-concurrency must be 1 to 5000") }
            guard (1...10_000).contains(senders) else { throw CommandLineFailure.usage("--senders must be 1 to 10000") }
            guard (0...10_000).contains(deduplicationWindowMilliseconds) else {
                throw CommandLineFailure.usage("--deduplication-window-ms must be 0 to 10000")
            }
            var offered: [Double] = []
            for item in rates.split(separator: ",") {
                let text = item.trimmingCharacters(in: .whitespaces).lowercased()
                if text == "max" { offered.append(0); continue }
                guard let rate = Double(text), rate >= 0, rate <= 1_000_000 else {
                    throw CommandLineFailure.usage("--rates: '\(text)' is not a rate (0 to 1000000, or max)")
                }
                offered.append(rate)
            }
            guard !offered.isEmpty else { throw CommandLineFailure.usage("--rates names no rate") }
            try await UplinkBenchmark(
                gateways: gateways, devicesPerGateway: devicesPerGateway, rates: offered, seconds: seconds, joinConcurrency: joinConcurrency,
                senders: senders, deduplicationWindow: .milliseconds(deduplicationWindowMilliseconds),
                drainLimit: .milliseconds(Int(drainSeconds * 1000)), warmUpRate: warmUpRate, withWebhook: !withoutWebhook, keepDirectory: keep
            ).run()
        }
    }

    /// The server `gatehouse bench uplinks` starts as its child: `gatehouse serve` with the same options
    /// (those the benchmark passes), and the deduplication window, which `serve` does not expose.
    struct UplinkServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "uplink-server", abstract: "gatehouse serve for gatehouse bench uplinks (internal).", shouldDisplay: false)

        @Option(name: .customLong("data-dir")) var dataDirectory: String
        @Option(name: .customLong("bind")) var bindHost: String = "127.0.0.1"
        @Option(name: .customLong("api-port")) var apiPort: String
        @Option(name: .customLong("http-port")) var httpPort: String
        @Option(name: .customLong("gateway-port")) var gatewayPort: String
        @Option(name: .customLong("gateway-host")) var gatewayHost: String = "localhost"
        @Option(name: .customLong("handshake-limit")) var handshakeLimit: String?
        @Option(name: .customLong("backend-port")) var backendPort: String = "0"
        @Option(name: .customLong("log-level")) var logLevel: String = "warning"
        @Option(name: .customLong("deduplication-window-ms")) var deduplicationWindowMilliseconds: Int = 200

        func run() async throws {
            var configuration: GatehouseConfiguration
            do {
                configuration = try GatehouseConfiguration(
                    commandLine: .init(
                        dataDirectory: dataDirectory, bindHost: bindHost, apiPort: apiPort, logLevel: logLevel, httpPort: httpPort,
                        gatewayPort: gatewayPort, gatewayHost: gatewayHost, handshakeLimit: handshakeLimit, backendPort: backendPort),
                    environment: ProcessInfo.processInfo.environment)
            } catch {
                throw CommandLineFailure.usage(error.description)
            }
            configuration.deduplicationWindow = .milliseconds(max(0, deduplicationWindowMilliseconds))
            ProcessLogging.bootstrap(level: configuration.logLevel)
            let server = try GatehouseServer(configuration: configuration) { _ in }
            try await server.runUntilShutdownSignal()
        }
    }
}
