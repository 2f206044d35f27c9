import Foundation

/// The outcome of running a command-line tool.
struct ToolResult: Sendable {
    var exitCode: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs real client tools (curl, openssl) against a real server.
enum ExternalTool {
    /// Runs `executable` with `arguments`, without blocking a Swift concurrency thread.
    ///
    /// Output goes to files rather than pipes, so a large response cannot fill a pipe buffer and
    /// stall the tool. Standard input is empty, which makes `openssl s_client` leave after the handshake.
    static func run(_ executable: String, _ arguments: [String], in directory: String) async throws -> ToolResult {
        let token = UUID().uuidString
        let outputPath = directory + "/\(token).out"
        let errorPath = directory + "/\(token).err"
        guard
            FileManager.default.createFile(atPath: outputPath, contents: nil),
            FileManager.default.createFile(atPath: errorPath, contents: nil)
        else {
            throw ScaffoldingFailure(description: "Cannot create output files in \(directory).")
        }
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let error = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))

        let exitCode: Int32 = try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            // A hung handshake must fail the test, not hang the suite.
            process.arguments = ["20", executable] + arguments
            process.standardInput = FileHandle.nullDevice
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
        return ToolResult(
            exitCode: exitCode,
            standardOutput: try String(contentsOfFile: outputPath, encoding: .utf8),
            standardError: try String(contentsOfFile: errorPath, encoding: .utf8)
        )
    }

    /// `curl` over HTTPS to `localhost`, trusting only `certificate`. `localhost` is pinned to
    /// 127.0.0.1, where test servers listen, so the certificate's DNS name is what gets verified.
    static func curl(
        _ path: String,
        on endpoint: TestEndpoint,
        method: String = "GET",
        certificate: String? = nil
    ) async throws -> HTTPReply {
        let result = try await run(
            "/usr/bin/curl",
            [
                "--silent", "--show-error", "--max-time", "10",
                "--cacert", certificate ?? endpoint.certificatePath,
                "--resolve", "localhost:\(endpoint.port):127.0.0.1",
                "--request", method,
                "--write-out", "\n%{http_code} %{content_type}",
                "https://localhost:\(endpoint.port)\(path)",
            ],
            in: endpoint.scratchDirectory
        )
        guard result.exitCode == 0 else {
            throw ToolFailure(tool: "curl", result: result)
        }
        return HTTPReply(curlOutput: result.standardOutput)
    }

    /// `openssl s_client` handshake with 127.0.0.1 using `options`; returns whether it completed.
    static func handshake(with endpoint: TestEndpoint, options: [String]) async throws -> ToolResult {
        try await run(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(endpoint.port)", "-servername", "localhost"] + options,
            in: endpoint.scratchDirectory
        )
    }
}

/// What curl received.
struct HTTPReply: Sendable {
    var status: Int
    var contentType: String
    var body: String

    /// Splits curl's output: the body, then a last line "<status> <content type>" added by
    /// `--write-out "\n%{http_code} %{content_type}"`.
    init(curlOutput output: String) {
        let split = output.lastIndex(of: "\n") ?? output.startIndex
        let trailer = output[output.index(after: split)...].split(separator: " ", maxSplits: 1)
        status = Int(trailer.first ?? "") ?? 0
        contentType = trailer.count > 1 ? String(trailer[1]) : ""
        body = String(output[..<split])
    }
}

/// A tool that exited with a failure where the test expected success.
struct ToolFailure: Error, CustomStringConvertible {
    var tool: String
    var result: ToolResult

    var description: String {
        "\(tool) exited with \(result.exitCode): \(result.standardError)"
    }
}
