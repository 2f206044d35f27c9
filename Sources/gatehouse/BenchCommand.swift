import ArgumentParser

/// `gatehouse bench`: the project's benchmarks. Each prints ratios against a reference measured in the
/// same run, because absolute numbers on a shared 2-core machine mean little.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Run a benchmark (build with -c release).", subcommands: [Core.self])

    struct Core: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "LoRaWAN crypto core: uplink verify+decrypt (1.0, 1.1), join handling, against raw AES blocks.")

        @Option(help: "Seconds to spend on each measurement.") var seconds: Double = 1.0

        func run() throws {
            guard seconds > 0, seconds <= 60 else { throw CommandLineFailure.usage("--seconds must be in (0, 60]") }
            CoreBenchmark(secondsPerMeasurement: seconds).run()
        }
    }
}
