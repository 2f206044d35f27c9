import ArgumentParser
import Foundation
import GatehouseServer

/// `gatehouse demo`: the whole path on this machine in a temporary directory (see ``GatehouseDemo``).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a server, a simulated Basics Station and a device end to end in a temporary directory, printing each step.",
        discussion: "Exits 0 when a device has joined, its uplinks reached a webhook and the event stream decrypted, and it received and acknowledged a downlink.")

    @Flag(name: .customLong("keep"), help: "Keep the temporary data directory (database, server log) afterwards.")
    var keep = false

    func run() async throws {
        let start = ContinuousClock.now
        do {
            try await GatehouseDemo(keepDirectory: keep) { step in
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                // Unbuffered: each step shows as it happens, also when the output is a pipe.
                FileHandle.standardOutput.write(Data((String(format: "[%6.2f s] ", seconds) + step + "\n").utf8))
            }.run()
        } catch {
            throw CommandLineFailure.invalidData("demo failed: \(error)")
        }
    }
}
