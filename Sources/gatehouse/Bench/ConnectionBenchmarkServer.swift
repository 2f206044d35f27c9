import Dispatch
import Foundation
import NIOCore
import NIOPosix

/// `gatehouse serve` as a child process of `gatehouse bench connections`: the server under test runs
/// alone in its process, so its memory can be read from `/proc/<pid>/status` apart from the
/// simulated stations'.
///
/// The child is the executable running the benchmark, listening on 127.0.0.1 only, on free ports,
/// with the handshake limit raised (every simulated station connects from 127.0.0.1). It is stopped
/// by ``stop()``, which the benchmark calls on every path out, and killed if the benchmark is
/// interrupted (SIGINT, SIGTERM), which also removes the data directory.
final class ConnectionBenchmarkServer {
    let process: Process
    let gatewayPort: Int
    let apiPort: Int
    let dataDirectory: String
    let logPath: String
    private var signalSources: [any DispatchSourceSignal] = []

    var pid: Int32 { process.processIdentifier }

    private init(process: Process, gatewayPort: Int, apiPort: Int, dataDirectory: String) {
        self.process = process
        self.gatewayPort = gatewayPort
        self.apiPort = apiPort
        self.dataDirectory = dataDirectory
        self.logPath = dataDirectory + "/serve.log"
    }

    /// Starts the server on the data directory and returns once both of its ports accept connections.
    /// `command` is the subcommand that serves (`serve`, or a benchmark's variant taking the same
    /// options), followed by `extraArguments`.
    static func start(
        dataDirectory: String, logLevel: String, command: [String] = ["serve"], extraArguments: [String] = []
    ) async throws -> ConnectionBenchmarkServer {
        let gatewayPort = try await freePort()
        let apiPort = try await freePort()
        let httpPort = try await freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executablePath())
        process.arguments = command + [
            "--data-dir", dataDirectory, "--bind", "127.0.0.1", "--api-port", "\(apiPort)", "--http-port", "\(httpPort)",
            "--gateway-port", "\(gatewayPort)", "--gateway-host", "localhost", "--handshake-limit", "1000000/1000000", "--backend-port", "0",
            "--log-level", logLevel,
        ] + extraArguments
        // The server runs as deployed: without the benchmark's malloc counter.
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = nil
        process.environment = environment
        let logPath = dataDirectory + "/serve.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let server = ConnectionBenchmarkServer(process: process, gatewayPort: gatewayPort, apiPort: apiPort, dataDirectory: dataDirectory)
        server.killOnInterrupt()
        do {
            try await server.waitUntilListening(ports: [gatewayPort, apiPort])
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Resident memory of the server process now.
    func memory() throws -> ProcessMemory {
        try ProcessMemory(pid: pid)
    }

    /// CPU time the server process has used so far, user and system, from `/proc/<pid>/stat`.
    func cpuSeconds() throws -> Double {
        try ProcessCPUTime.seconds(pid: pid)
    }

    /// Stops the server: SIGTERM (a graceful shutdown closes every connection), SIGKILL after 10 s.
    func stop() {
        for source in signalSources { source.cancel() }
        if !signalSources.isEmpty {
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        signalSources = []
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// The last lines of the server's log, for an error message.
    func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    private func killOnInterrupt() {
        let pid = self.pid
        let dataDirectory = self.dataDirectory
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                kill(pid, SIGKILL)
                usleep(200_000)  // the killed server stops writing its log in the directory
                try? FileManager.default.removeItem(atPath: dataDirectory)
                Foundation.exit(128 + signalNumber)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    private func waitUntilListening(ports: [Int]) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        for port in ports {
            while true {
                guard process.isRunning else {
                    throw CommandLineFailure.invalidData("gatehouse serve exited with status \(process.terminationStatus):\n\(logTail())")
                }
                if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get() {
                    try? await channel.close().get()
                    break
                }
                guard ContinuousClock.now < deadline else {
                    throw CommandLineFailure.invalidData("gatehouse serve did not listen on port \(port) within 60 s:\n\(logTail())")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// A port nothing listens on at 127.0.0.1 (the server binds it a moment later).
    private static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close().get()
        guard port > 0 else { throw CommandLineFailure.invalidData("no free port on 127.0.0.1") }
        return port
    }

    /// This executable, so the server under test is the build being benchmarked.
    private static func executablePath() -> String {
        let argument = CommandLine.arguments[0]
        if argument.contains("/") { return URL(fileURLWithPath: argument).standardizedFileURL.path }
        return Bundle.main.executablePath ?? argument
    }
}

/// A process's resident memory from `/proc/<pid>/status`: all of it (`VmRSS`) and its anonymous part
/// (`RssAnon`: heap and stacks, without the mapped executable and libraries).
struct ProcessMemory: Sendable {
    var residentBytes: Int
    var anonymousBytes: Int

    init(residentBytes: Int, anonymousBytes: Int) {
        self.residentBytes = residentBytes
        self.anonymousBytes = anonymousBytes
    }

    init(pid: Int32) throws {
        let path = "/proc/\(pid)/status"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandLineFailure.invalidData("cannot read \(path)")
        }
        var fields: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            if parts.count >= 2, let kilobytes = Int(parts[1]) { fields[String(parts[0])] = kilobytes * 1024 }
        }
        guard let resident = fields["VmRSS"], let anonymous = fields["RssAnon"] else {
            throw CommandLineFailure.invalidData("\(path) has no VmRSS or RssAnon")
        }
        residentBytes = resident
        anonymousBytes = anonymous
    }

    /// This process.
    static func current() throws -> ProcessMemory { try ProcessMemory(pid: getpid()) }
}
