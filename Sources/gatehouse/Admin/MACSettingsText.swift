import Foundation
import LoRaWAN

/// How `gatehouse device mac` prints the API's MAC settings answer: current and desired side by side,
/// the channels, then each difference with where it stands.
enum MACSettingsText {
    struct Report: Decodable {
        var devEUI: String
        var macVersion: String
        var region: String?
        var joined: Bool
        var inSync: Bool
        var current: Settings?
        var desired: Settings
        var changes: [Change]
        var forceRejoin: ForceRejoin?

        enum CodingKeys: String, CodingKey {
            case devEUI = "dev_eui", macVersion = "mac_version", region, joined, inSync = "in_sync", current, desired, changes
            case forceRejoin = "force_rejoin"
        }
    }

    struct Settings: Decodable {
        var rx1DROffset: Int?
        var rx2DataRate: Int?
        var rx2Frequency: UInt32?
        var rx1Delay: Int?
        var maxDutyCycle: Int?
        var channels: [Channel]
        var rejoin: Rejoin?

        enum CodingKeys: String, CodingKey {
            case rx1DROffset = "rx1_dr_offset", rx2DataRate = "rx2_data_rate", rx2Frequency = "rx2_frequency", rx1Delay = "rx1_delay"
            case maxDutyCycle = "max_duty_cycle", channels, rejoin
        }
    }

    struct Channel: Decodable {
        var index: Int
        var frequency: UInt32
        var minDR: Int
        var maxDR: Int
        var enabled: Bool?

        enum CodingKeys: String, CodingKey {
            case index, frequency, minDR = "min_dr", maxDR = "max_dr", enabled
        }
    }

    struct Rejoin: Decodable {
        var maxTimeN: Int
        var maxCountN: Int

        enum CodingKeys: String, CodingKey {
            case maxTimeN = "max_time_n", maxCountN = "max_count_n"
        }
    }

    struct Change: Decodable {
        var setting: String
        var channel: Int?
        var state: String
        var request: String
        var answer: String?
        var detail: String
    }

    struct ForceRejoin: Decodable {
        var rejoinType: Int
        var dataRate: Int
        var maxRetries: Int
        var period: Int

        enum CodingKeys: String, CodingKey {
            case rejoinType = "rejoin_type", dataRate = "data_rate", maxRetries = "max_retries", period
        }
    }

    static func decode(_ bytes: [UInt8]) throws -> Report {
        do { return try JSONDecoder().decode(Report.self, from: Data(bytes)) } catch {
            throw CommandLineFailure.invalidData("the API's answer is not a MAC settings report")
        }
    }

    static func lines(_ report: Report) -> [String] {
        var lines = ["Device          \(report.devEUI), LoRaWAN \(report.macVersion), \(report.region ?? "region of its gateway")"]
        lines.append(row("", "current", "desired"))
        let current = report.current
        let desired = report.desired
        lines.append(row("RX1DROffset", current?.rx1DROffset.map(String.init), desired.rx1DROffset.map(String.init)))
        lines.append(row("RX2 data rate", current?.rx2DataRate.map { "DR\($0)" }, desired.rx2DataRate.map { "DR\($0)" }))
        lines.append(row("RX2 frequency", current?.rx2Frequency.map(megahertz), desired.rx2Frequency.map(megahertz)))
        lines.append(row("RX1 delay", current?.rx1Delay.map { "\($0) s" }, desired.rx1Delay.map { "\($0) s" }))
        lines.append(row("MaxDutyCycle", current?.maxDutyCycle.map(String.init), desired.maxDutyCycle.map(String.init)))
        lines.append(row("Rejoin", current?.rejoin.map(rejoin), desired.rejoin.map(rejoin)))
        if let current {
            let channels = current.channels.map { channel($0) + ($0.enabled == false ? " (off)" : "") }
            lines.append("Channels        " + channels.joined(separator: ", "))
        }
        if !desired.channels.isEmpty {
            lines.append("Wished channels " + desired.channels.map(channel).joined(separator: ", "))
        }
        if !report.joined {
            lines.append("Not joined: nothing is sent until the device joins.")
        } else if report.inSync {
            lines.append("In step: the device uses what is wished.")
        } else {
            lines.append("Changes")
            for change in report.changes {
                let name = change.channel.map { "channel \($0)" } ?? change.setting
                let answer = change.answer.map { " (\($0))" } ?? ""
                let column = name.padding(toLength: 15, withPad: " ", startingAt: 0)
                lines.append("  \(column) \(change.state)\(answer): \(change.request); \(change.detail)")
            }
        }
        if let force = report.forceRejoin {
            lines.append(
                "ForceRejoinReq queued: rejoin-request type \(force.rejoinType) at DR\(force.dataRate), \(force.maxRetries) retries, period \(force.period)")
        }
        return lines
    }

    private static func row(_ name: String, _ current: String?, _ desired: String?) -> String {
        name.padding(toLength: 16, withPad: " ", startingAt: 0) + (current ?? "-").padding(toLength: 16, withPad: " ", startingAt: 0) + (desired ?? "-")
    }

    private static func megahertz(_ hertz: UInt32) -> String { Frequency(hertz: hertz).description }

    private static func channel(_ channel: Channel) -> String {
        "\(channel.index) \(megahertz(channel.frequency)) DR\(channel.minDR)-DR\(channel.maxDR)"
    }

    private static func rejoin(_ rejoin: Rejoin) -> String { "MaxTimeN \(rejoin.maxTimeN), MaxCountN \(rejoin.maxCountN)" }
}
