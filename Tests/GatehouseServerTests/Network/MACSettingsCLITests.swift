import Foundation
import GatehouseServer
import LoRaWAN
import Storage
import NetworkServer
import Testing

/// `gatehouse device mac show|set` and `gatehouse device force-rejoin` as the built executable, against
/// a real server's HTTPS API.
@Suite("MAC settings: CLI")
struct MACSettingsCLITests {
    private typealias S = MACSettingsTestServer

    @Test("mac show and set (merging with what is wished, --clear to start over), force-rejoin; refusals exit non-zero with the API's message")
    func showSetForceRejoin() async throws {
        try await S.run { endpoint, key, scratch in
            let remote = ["--api", "https://localhost:\(endpoint.port)", "--token", key, "--cacert", endpoint.certificatePath]
            func run(_ arguments: [String]) async throws -> ToolResult { try await GatehouseCLI.run(arguments + remote, in: scratch) }

            let shown = try await run(["device", "mac", "show", S.legacy.description])
            #expect(shown.exitCode == 0, "\(shown.standardError)")
            #expect(shown.standardOutput.contains("Device          \(S.legacy), LoRaWAN 1.0.3, EU868"))
            #expect(shown.standardOutput.contains("RX2 data rate   DR0             -\n"))
            #expect(shown.standardOutput.contains("In step: the device uses what is wished."))

            let set = try await run(["device", "mac", "set", S.legacy.description, "--rx2-data-rate", "3", "--channel", "3:867100000:0-5"])
            #expect(set.exitCode == 0, "\(set.standardError)")
            #expect(set.standardOutput.contains("RX2 data rate   DR0             DR3\n"))
            #expect(set.standardOutput.contains("Wished channels 3 867.1 MHz DR0-DR5"))
            #expect(set.standardOutput.contains("  rx_parameters   queued: RXParamSetupReq(RX1DROffset: 0, RX2DataRate: DR3, Frequency: 869525000 Hz)"))
            #expect(set.standardOutput.contains("  channel 3       queued: NewChannelReq("))

            // Options not given keep their wish.
            let merged = try await run(["device", "mac", "set", S.legacy.description, "--max-duty-cycle", "2"])
            #expect(merged.exitCode == 0, "\(merged.standardError)")
            #expect(merged.standardOutput.contains("RX2 data rate   DR0             DR3\n"))
            #expect(merged.standardOutput.contains("MaxDutyCycle    0               2\n"))

            let refused = try await run(["device", "mac", "set", S.legacy.description, "--rx2-frequency", "915000000"])
            #expect(refused.exitCode == 1)
            #expect(refused.standardError == "gatehouse: the API answered 400: rx2_frequency: 915 MHz is outside the EU868 band 863 MHz to 870 MHz\n")
            let badChannel = try await run(["device", "mac", "set", S.legacy.description, "--channel", "3:867100000"])
            #expect(badChannel.exitCode == 2)
            #expect(badChannel.standardError.contains("--channel: expected INDEX:FREQUENCY_HZ:MIN_DR-MAX_DR"))
            let unknown = try await run(["device", "mac", "show", "70B3D57ED0000AFF"])
            #expect(unknown.exitCode == 1)
            #expect(unknown.standardError == "gatehouse: the API answered 404: device 70B3D57ED0000AFF is not registered\n")

            let cleared = try await run(["device", "mac", "set", S.legacy.description, "--clear", "--rx1-delay", "2"])
            #expect(cleared.exitCode == 0, "\(cleared.standardError)")
            #expect(cleared.standardOutput.contains("RX2 data rate   DR0             -\n"))
            #expect(cleared.standardOutput.contains("RX1 delay       1 s             2 s\n"))

            let legacy = try await run(["device", "force-rejoin", S.legacy.description])
            #expect(legacy.exitCode == 1)
            #expect(legacy.standardError == "gatehouse: the API answered 409: mac_version: ForceRejoinReq is LoRaWAN 1.1 only; device \(S.legacy) speaks 1.0.3\n")
            let queued = try await run(["device", "force-rejoin", S.current.description, "--rejoin-type", "2", "--max-retries", "1"])
            #expect(queued.exitCode == 0, "\(queued.standardError)")
            #expect(queued.standardOutput == "ForceRejoinReq queued for \(S.current): rejoin-request type 2 at DR0, 1 retries, period 0; it goes out with the next downlink\n")
        } check: { services in
            let device = try #require(try await services.store.networkDevices.device(S.legacy))
            #expect(device.desiredMACSettings == DesiredMACSettings(rx1Delay: RXTimingDelay(rawValue: 2)))
        }
    }
}
