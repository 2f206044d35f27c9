import Foundation

/// Runs `/usr/bin/openssl` the way an operator or a gateway vendor would, so tests check Gatehouse's
/// output with an independent X.509 implementation.
enum OpenSSL {
    static let executable = URL(fileURLWithPath: "/usr/bin/openssl")

    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var succeeded: Bool { status == 0 }
    }

    struct Failure: Error, CustomStringConvertible {
        var arguments: [String]
        var output: Output
        var description: String { "openssl \(arguments.joined(separator: " ")) exited \(output.status): \(output.standardError)" }
    }

    /// Runs openssl in `directory`; output goes through files so a large output cannot block the pipe.
    static func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> Output {
        let id = UUID().uuidString
        let outURL = directory.url.appendingPathComponent("openssl-\(id).out")
        let errURL = directory.url.appendingPathComponent("openssl-\(id).err")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
            FileManager.default.createFile(atPath: errURL.path, contents: nil)
        else { throw CocoaError(.fileWriteUnknown) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory.url
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Runs openssl and throws unless it exits 0.
    @discardableResult
    static func succeed(_ arguments: [String], in directory: TemporaryDirectory) throws -> String {
        let output = try run(arguments, in: directory)
        guard output.succeeded else { throw Failure(arguments: arguments, output: output) }
        return output.standardOutput
    }
}

/// A directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ text: String, to name: String) throws {
        try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func write(_ bytes: [UInt8], to name: String) throws {
        try Data(bytes).write(to: url.appendingPathComponent(name))
    }

    func read(_ name: String) throws -> String { try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8) }

    func readBytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url.appendingPathComponent(name))) }
}
