import Foundation
import GatehouseServer
import LoRaWAN
import Logging
import NetworkServer
import Storage
import Testing

/// `gatehouse device create-abp` as the built executable, on a real SQLite data directory.
@Suite("ABP devices: CLI")
struct ABPDeviceCLITests {
    private typealias T = ABPTestData

    private static func run(_ arguments: [String], in directory: borrowing TemporaryDirectory) async throws -> ToolResult {
        let result = try await GatehouseCLI.run(arguments + ["--data-dir", directory.file("data")], in: directory.path)
        #expect(T.leaks(in: result.standardOutput + result.standardError).isEmpty, "gatehouse \(arguments.joined(separator: " ")) printed a key")
        return result
    }

    private static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("without --insecure-abp the command exits 2 with the explanation and creates nothing; with it, it warns")
    func flagRequired() async throws {
        let directory = try TemporaryDirectory()
        try Self.write(T.nwkSKey + "\n", to: directory.file("nwks.key"))
        try Self.write(T.appSKey, to: directory.file("apps.key"))
        let arguments = [
            "device", "create-abp", "70B3D57ED00000AB", "--dev-addr", T.devAddr.description, "--mac-version", "1.0.3", "--region", "eu868",
            "--nwk-s-key-file", "nwks.key", "--app-s-key-file", "apps.key",
        ]

        let refused = try await Self.run(arguments, in: directory)
        #expect(refused.exitCode == 2)
        #expect(refused.standardError.hasPrefix("gatehouse: --insecure-abp: ABP is insecure"))
        #expect(refused.standardError.contains("Prefer OTAA") && refused.standardError.hasSuffix("with --insecure-abp\n"))
        #expect(refused.standardOutput.isEmpty)

        let created = try await Self.run(arguments + ["--insecure-abp"], in: directory)
        #expect(created.exitCode == 0, "\(created.standardError)")
        #expect(created.standardOutput.hasPrefix("Created ABP device 70B3D57ED00000AB, DevAddr \(T.devAddr)"))
        #expect(created.standardOutput.contains("warning: ABP device: its session keys and frame counters are fixed for life"))

        let again = try await Self.run(arguments + ["--insecure-abp"], in: directory)
        #expect(again.exitCode == 1)
        #expect(again.standardError == "gatehouse: device 70B3D57ED00000AB already exists\n")

        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let services = try await GatehouseServices.open(configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let device = try await services.store.networkDevices.device(EUI64(0x70B3_D57E_D000_00AB))
        let session = try await services.store.networkSessions.session(devEUI: EUI64(0x70B3_D57E_D000_00AB))
        await services.close()
        #expect(device?.activation == .abp)
        #expect(session?.keys == .legacy(nwkSKey: T.key(T.nwkSKey)))
    }

    @Test("keys that do not fit the MAC version are a usage error naming the options")
    func keysFitVersion() async throws {
        let directory = try TemporaryDirectory()
        try Self.write(T.nwkSKey, to: directory.file("nwks.key"))
        try Self.write(T.appSKey, to: directory.file("apps.key"))
        try Self.write(String(T.fNwkSIntKey.dropLast(2)), to: directory.file("short.key"))
        let base = ["device", "create-abp", "70B3D57ED00000AC", "--dev-addr", "00010203", "--region", "EU868", "--app-s-key-file", "apps.key", "--insecure-abp"]

        let legacyKeyFor11 = try await Self.run(base + ["--mac-version", "1.1", "--nwk-s-key-file", "nwks.key"], in: directory)
        #expect(legacyKeyFor11.exitCode == 2)
        #expect(legacyKeyFor11.standardError.hasPrefix("gatehouse: --nwk-s-key-file: a LoRaWAN 1.1 device has --f-nwk-s-int-key-file"))

        let missing = try await Self.run(base + ["--mac-version", "1.0.4"], in: directory)
        #expect(missing.exitCode == 2)
        #expect(missing.standardError == "gatehouse: --nwk-s-key-file: required for LoRaWAN 1.0.4\n")

        let short = try await Self.run(base + ["--mac-version", "1.0.4", "--nwk-s-key-file", "short.key"], in: directory)
        #expect(short.exitCode == 1)
        #expect(short.standardError == "gatehouse: --nwk-s-key-file: short.key does not hold a 128-bit key (32 hex digits)\n")

        let badAddress = try await Self.run(base + ["--mac-version", "1.0.4", "--nwk-s-key-file", "nwks.key", "--dev-addr", "xyz"], in: directory)
        #expect(badAddress.exitCode == 2)
    }
}
