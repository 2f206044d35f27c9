import ArgumentParser
import Foundation
import LoRaWAN
import NIOHTTP1

/// `gatehouse device mac`: a device's MAC settings at a running server's Network Server
/// (`/api/v1/devices/{devEUI}/mac-settings`). Over the API, not the data directory: the live session
/// is the running server's, and a change must reach the copy it holds in memory.
struct DeviceMACCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mac", abstract: "Show or set the MAC settings a device should use (on a running server).",
        subcommands: [Show.self, SetSettings.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the current and desired MAC settings and what is under way.")
        @OptionGroup var remote: RemoteAPIOptions
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            let answer = try await remote.call(.GET, "/devices/\(eui)/mac-settings")
            MACSettingsText.lines(try MACSettingsText.decode(answer)).forEach { print($0) }
        }
    }

    struct SetSettings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change the desired MAC settings; the Network Server sends the requests in the device's next downlinks.",
            discussion: """
                Options not given keep their desired value (--clear forgets them all first). A value the device's region or \
                LoRaWAN version does not allow is refused. Setting the desired settings again also asks again what the device refused.
                """)
        @OptionGroup var remote: RemoteAPIOptions
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String
        @Option(name: .customLong("rx1-dr-offset"), help: "RX1DROffset (RXParamSetupReq).") var rx1DROffset: Int?
        @Option(name: .customLong("rx2-data-rate"), help: "RX2 data rate index (RXParamSetupReq).") var rx2DataRate: Int?
        @Option(name: .customLong("rx2-frequency"), help: "RX2 frequency in Hz (RXParamSetupReq).") var rx2Frequency: Int?
        @Option(name: .customLong("rx1-delay"), help: "RX1 delay in seconds, 1 to 15 (RXTimingSetupReq).") var rx1Delay: Int?
        @Option(name: .customLong("max-duty-cycle"), help: "Duty cycle limit 1/2^N, 0 to 15 (DutyCycleReq).") var maxDutyCycle: Int?
        @Option(name: .customLong("channel"), help: "INDEX:FREQUENCY_HZ:MIN_DR-MAX_DR, repeatable; replaces the desired channels (NewChannelReq).")
        var channels: [String] = []
        @Option(name: .customLong("rejoin-max-time-n"), help: "LoRaWAN 1.1: rejoin-request every 2^(N+10) s (RejoinParamSetupReq).")
        var rejoinMaxTimeN: Int?
        @Option(name: .customLong("rejoin-max-count-n"), help: "LoRaWAN 1.1: rejoin-request every 2^(N+4) uplinks.") var rejoinMaxCountN: Int?
        @Flag(name: .customLong("clear"), help: "Start from no wish at all.") var clear = false

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            guard (rejoinMaxTimeN == nil) == (rejoinMaxCountN == nil) else {
                throw CommandLineFailure.usage("give --rejoin-max-time-n and --rejoin-max-count-n together")
            }
            let parsedChannels = try channels.map(Self.channel)
            var body: [String: Any] = [:]
            if !clear {
                let answer = try await remote.call(.GET, "/devices/\(eui)/mac-settings")
                guard let object = try JSONSerialization.jsonObject(with: Data(answer)) as? [String: Any],
                    let desired = object["desired"] as? [String: Any]
                else { throw CommandLineFailure.invalidData("the API's answer has no desired settings") }
                body = desired.filter { !($0.value is NSNull) }
            }
            let given: [(String, Int?)] = [
                ("rx1_dr_offset", rx1DROffset), ("rx2_data_rate", rx2DataRate), ("rx2_frequency", rx2Frequency), ("rx1_delay", rx1Delay),
                ("max_duty_cycle", maxDutyCycle),
            ]
            for case (let member, let value?) in given { body[member] = value }
            if !parsedChannels.isEmpty { body["channels"] = parsedChannels }
            if let rejoinMaxTimeN, let rejoinMaxCountN { body["rejoin"] = ["max_time_n": rejoinMaxTimeN, "max_count_n": rejoinMaxCountN] }
            let json = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            let answer = try await remote.call(.PUT, "/devices/\(eui)/mac-settings", json: Array(json))
            MACSettingsText.lines(try MACSettingsText.decode(answer)).forEach { print($0) }
        }

        /// `3:867100000:0-5` as the API's channel object.
        static func channel(_ text: String) throws -> [String: Int] {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            let rates = parts.count == 3 ? parts[2].split(separator: "-", omittingEmptySubsequences: false) : []
            guard parts.count == 3, rates.count == 2, let index = Int(parts[0]), let frequency = Int(parts[1]), let minDR = Int(rates[0]),
                let maxDR = Int(rates[1])
            else { throw CommandLineFailure.usage("--channel: expected INDEX:FREQUENCY_HZ:MIN_DR-MAX_DR, e.g. 3:867100000:0-5") }
            return ["index": index, "frequency": frequency, "min_dr": minDR, "max_dr": maxDR]
        }
    }
}

/// `gatehouse device force-rejoin`: queue a ForceRejoinReq for a LoRaWAN 1.1 device's next downlink.
struct DeviceForceRejoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "force-rejoin", abstract: "Ask a LoRaWAN 1.1 device to rejoin, with its next downlink (on a running server).")
    @OptionGroup var remote: RemoteAPIOptions
    @Argument(help: "DevEUI (16 hex digits).") var devEUI: String
    @Option(name: .customLong("rejoin-type"), help: "Rejoin-request type, 0 (default) or 2.") var rejoinType: Int?
    @Option(name: .customLong("data-rate"), help: "Data rate of the rejoin-requests (default: the device's current one).") var dataRate: Int?
    @Option(name: .customLong("max-retries"), help: "Retransmissions of the rejoin-request, 0 to 7 (default 0).") var maxRetries: Int?
    @Option(name: .customLong("period"), help: "32 s x 2^N between them, 0 to 7 (default 0).") var period: Int?

    func run() async throws {
        let eui = try requireEUI(devEUI, "DEVEUI")
        var body: [String: Int] = [:]
        body["rejoin_type"] = rejoinType
        body["data_rate"] = dataRate
        body["max_retries"] = maxRetries
        body["period"] = period
        let json = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        let report = try MACSettingsText.decode(try await remote.call(.POST, "/devices/\(eui)/force-rejoin", json: Array(json)))
        guard let queued = report.forceRejoin else { throw CommandLineFailure.invalidData("the API's answer shows no ForceRejoinReq") }
        print("ForceRejoinReq queued for \(eui): rejoin-request type \(queued.rejoinType) at DR\(queued.dataRate), "
            + "\(queued.maxRetries) retries, period \(queued.period); it goes out with the next downlink")
    }
}
