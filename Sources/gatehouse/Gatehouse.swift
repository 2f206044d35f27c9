import ArgumentParser
import Foundation
import GatehouseServer

/// The `gatehouse` command line: the server and the operator's tools.
@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A secure LoRaWAN back-end: gateway PKI, Join Server, Network and Application Server.",
        version: GatehouseVersion.current,
        subcommands: [
            ServeCommand.self, CACommand.self, GatewayCommand.self, DeviceCommand.self, JoinServerCommand.self, APIKeyCommand.self,
            AuditCommand.self, ApplicationCommand.self, DownlinkCommand.self, EventsCommand.self, FrameCommand.self, KeysCommand.self,
            BenchCommand.self, SimulateCommand.self, DemoCommand.self,
        ]
    )

    /// Exit codes the README documents: 0 success, 1 invalid data, 2 usage error. ArgumentParser would
    /// use 64 for usage errors, and print several lines; operators' scripts get one line and a fixed code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CommandLineFailure {
            standardError("gatehouse: \(error.message)")
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            // ArgumentParser reports its own parse and validation errors with a non-1 code: those are
            // usage errors. Anything else a command throws is a failure on the data it was given.
            if code == .failure {
                standardError("gatehouse: \(message)")
                Foundation.exit(1)
            }
            standardError("gatehouse: \(message) (see 'gatehouse help')")
            Foundation.exit(2)
        }
    }
}

/// An error a command reports as one line on stderr with a documented exit code.
struct CommandLineFailure: Error {
    let message: String
    let exitCode: Int32

    /// The input was understood but is not valid data (a bad frame, a MIC that does not verify): exit 1.
    static func invalidData(_ message: String) -> CommandLineFailure { CommandLineFailure(message: message, exitCode: 1) }
    /// The command was called wrongly (a missing or malformed option): exit 2.
    static func usage(_ message: String) -> CommandLineFailure { CommandLineFailure(message: message, exitCode: 2) }
}

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
