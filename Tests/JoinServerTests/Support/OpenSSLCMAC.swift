import Foundation

/// Computes AES-CMAC with `/usr/bin/openssl mac`, an implementation independent of Gatehouse's, so a
/// documented vector is checked against more than the code that produced it.
enum OpenSSLCMAC {
    struct Failure: Error, CustomStringConvertible {
        var status: Int32
        var standardError: String
        var description: String { "openssl mac exited \(status): \(standardError)" }
    }

    /// The CMAC of `message` under the 16-byte key `keyHex`, as upper-case hex.
    static func mac(keyHex: String, message: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-js-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("input.bin")
        try Data(message).write(to: input)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["mac", "-cipher", "AES-128-CBC", "-macopt", "hexkey:\(keyHex)", "-in", input.path, "CMAC"]
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The output is one line, far below a pipe's buffer, so reading after exit cannot block.
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(
                status: process.terminationStatus,
                standardError: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }
}
