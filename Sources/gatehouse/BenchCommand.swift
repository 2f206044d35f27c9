import ArgumentParser

/// `gatehouse bench`: the project's benchmarks. Each prints ratios against a reference measured in the
/// same run, because absolute numbers on a shared 2-core machine mean little.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark (build with -c release).", subcommands: [Core.self, PKI.self, Joins.self, Connections.self, Uplinks.self, UplinkServer.self])

    struct Core: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "LoRaWAN crypto core: uplink verify+decrypt (1.0, 1.1), join handling, against raw AES blocks.")

        @Option(help: "Seconds to spend on each measurement.") var seconds: Double = 1.0

        func run() throws {
            guard seconds > 0, seconds <= 60 else { throw CommandLineFailure.usage("--seconds must be in (0, 60]") }
            CoreBenchmark(secondsPerMeasurement: seconds).run()
        }
    }

    struct PKI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pki", abstract: "Gateway certificate issuance in-process and through the API, and revocation visibility.")

        @Option(help: "Seconds to spend on each measurement.") var seconds: Double = 3.0
        @Option(help: "Concurrent issuers (in-process).") var concurrency: Int = 2

        func run() async throws {
            guard seconds > 0, seconds <= 60 else { throw CommandLineFailure.usage("--seconds must be in (0, 60]") }
            guard (1...64).contains(concurrency) else { throw CommandLineFailure.usage("--concurrency must be 1 to 64") }
            try await PKIBenchmark(seconds: seconds, concurrency: concurrency).run()
        }
    }

    struct Joins: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join Server: LoRaWAN 1.1 joins with durable nonce state, in process and through the HTTPS Backend Interfaces.")

        @Option(help: "Seconds to spend on each measurement.") var seconds: Double = 3.0
        @Option(help: "Concurrent callers (Network Server requests in flight).") var concurrency: Int = 64

        func run() async throws {
            guard seconds > 0, seconds <= 60 else { throw CommandLineFailure.usage("--seconds must be in (0, 60]") }
            guard (1...64).contains(concurrency) else { throw CommandLineFailure.usage("--concurrency must be 1 to 64") }
            try await JoinBenchmark(seconds: seconds, concurrency: concurrency).run()
        }
    }

    struct Connections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "LNS traffic connections held by the gateway listener (gatehouse serve as a child process), and its memory per connection.")

        @Option(help: "Simulated gateways to connect, each with its own certificate.") var count: Int = 10_000
        @Option(help: "Connections being opened at once.") var concurrency: Int = 200
        @Option(help: "Times every station disconnects and reconnects (memory settling versus growing).") var reconnectRounds: Int = 1

        func run() async throws {
            guard (2...100_000).contains(count) else { throw CommandLineFailure.usage("--count must be 2 to 100000") }
            guard (1...1_000).contains(concurrency) else { throw CommandLineFailure.usage("--concurrency must be 1 to 1000") }
            guard (1...20).contains(reconnectRounds) else { throw CommandLineFailure.usage("--reconnect-rounds must be 1 to 20") }
            try await ConnectionBenchmark(count: count, concurrency: concurrency, reconnectRounds: reconnectRounds).run()
        }
    }
}
