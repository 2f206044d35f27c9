import Foundation
import Testing

/// `gatehouse demo` as a user runs it: the whole path (PKI, mutual TLS station, join, uplinks to a
/// signed webhook and the live stream, a confirmed downlink and its acknowledgement) must end with
/// exit status 0.
@Suite("gatehouse demo")
struct DemoCommandTests {
    @Test("the demo runs every step and exits 0")
    func demoSucceeds() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gatehouseExecutable())
        process.arguments = ["demo"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        for step in ["device joined", "uplink 3 \"hello 3\" arrived decrypted", "decrypted \"lights on\"", "downlink_acked delivered", "demo complete"] {
            #expect(text.contains(step), "missing step: \(step)")
        }
    }
}
