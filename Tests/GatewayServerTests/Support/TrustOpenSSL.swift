import Foundation

/// Runs `/usr/bin/openssl` for what swift-crypto refuses to make (an RSA-1024 gateway key), the way
/// an operator or a careless vendor would. The pattern of GatewayPKITests' `OpenSSL`.
enum TrustOpenSSL {
    static let executable = URL(fileURLWithPath: "/usr/bin/openssl")

    struct Failure: Error, CustomStringConvertible {
        var arguments: [String]
        var status: Int32
        var standardError: String
        var description: String { "openssl \(arguments.joined(separator: " ")) exited \(status): \(standardError)" }
    }

    /// Runs openssl in `directory` and throws unless it exits 0; output goes through files so a large
    /// output cannot block the pipe.
    @discardableResult
    static func succeed(_ arguments: [String], in directory: TrustTemporaryDirectory) throws -> String {
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
        guard process.terminationStatus == 0 else {
            throw Failure(
                arguments: arguments, status: process.terminationStatus,
                standardError: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        }
        return (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    }
}

/// A directory under the system temporary directory, removed when the value is released.
final class TrustTemporaryDirectory: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ text: String, to name: String) throws {
        try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) throws -> String { try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8) }
}
