import Foundation

/// Runs the built `gatehouse` executable, as an operator would.
///
/// The executable sits beside the test bundle in the build folder (`swift build --build-tests` builds
/// both), so it is found from this process's own path. Its environment is this one's without any
/// `GATEHOUSE_*` variable, so only the options a test passes decide what it does.
enum GatehouseCLI {
    static var executablePath: String {
        let bundle = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return bundle.deletingLastPathComponent().appendingPathComponent("gatehouse").path
    }

    /// Runs `gatehouse arguments...` in `directory`, with `standardInput` as the file it reads for `-`.
    static func run(_ arguments: [String], in directory: String, standardInput: String? = nil) async throws -> ToolResult {
        guard FileManager.default.isExecutableFile(atPath: executablePath) else {
            throw ScaffoldingFailure(description: "\(executablePath) is missing: build it with `swift build --build-tests`")
        }
        let token = UUID().uuidString
        let outputPath = directory + "/\(token).out"
        let errorPath = directory + "/\(token).err"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil), FileManager.default.createFile(atPath: errorPath, contents: nil) else {
            throw ScaffoldingFailure(description: "Cannot create output files in \(directory).")
        }
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let input = try standardInput.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) }

        let exitCode: Int32 = try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            process.arguments = ["60", executablePath] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GATEHOUSE_") }
            process.standardInput = input ?? FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = error
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        try output.close()
        try error.close()
        try input?.close()
        return ToolResult(
            exitCode: exitCode, standardOutput: try String(contentsOfFile: outputPath, encoding: .utf8),
            standardError: try String(contentsOfFile: errorPath, encoding: .utf8))
    }
}
