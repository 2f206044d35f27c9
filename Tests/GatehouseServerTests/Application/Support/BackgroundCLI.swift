import Foundation

/// `gatehouse` started in the background, for commands that run until stopped (`gatehouse events`):
/// the test watches its output while it runs, then interrupts it as Ctrl-C would.
final class BackgroundCLI: @unchecked Sendable {
    private let process = Process()
    private let outputPath: String
    private let errorPath: String
    private let exited = DispatchSemaphore(value: 0)

    init(_ arguments: [String], in directory: String) throws {
        let token = UUID().uuidString
        outputPath = directory + "/\(token).out"
        errorPath = directory + "/\(token).err"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil), FileManager.default.createFile(atPath: errorPath, contents: nil) else {
            throw ScaffoldingFailure(description: "Cannot create output files in \(directory).")
        }
        process.executableURL = URL(fileURLWithPath: GatehouseCLI.executablePath)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GATEHOUSE_") }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
    }

    var standardOutput: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }

    /// Sends SIGINT (Ctrl-C) and waits for the exit status (at most 20 seconds, then SIGKILL).
    func interrupt() async -> Int32 {
        if process.isRunning { process.interrupt() }
        return await waitForExit()
    }

    /// The exit status once it exits by itself (at most `patience`, then SIGKILL).
    func waitForExit(patience: Duration = .seconds(20)) async -> Int32 {
        let deadline = ContinuousClock.now + patience
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        exited.wait()
        return process.terminationStatus
    }
}
