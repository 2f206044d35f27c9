import Foundation
import Hummingbird
import LoRaWAN
import NetworkServer

/// `GET /devices/{devEUI}/mac-settings` (and the answer to `PUT` and `POST .../force-rejoin`): what the
/// device uses (`current`, `null` before it joins), what is wished (`desired`, `null` members are no
/// wish), and each difference with its `state`: `queued` (goes out with the next downlink),
/// `awaiting_answer`, `rejected` (the device refused it; not asked again until the desired settings
/// are set again) or `not_applicable` (the session's region or version does not allow it).
struct MACSettingsResponse: ResponseEncodable {
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

    init(_ report: MACSettingsReport) {
        devEUI = report.devEUI.description
        macVersion = report.macVersion.rawValue
        region = report.region?.rawValue
        joined = report.current != nil
        inSync = report.isInSync
        current = report.current.map(Settings.init)
        desired = Settings(report.desired)
        changes = report.changes.map(Change.init)
        forceRejoin = report.pendingForceRejoin.map(ForceRejoin.init)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(devEUI, forKey: .devEUI)
        try container.encode(macVersion, forKey: .macVersion)
        try container.encode(region, forKey: .region)
        try container.encode(joined, forKey: .joined)
        try container.encode(inSync, forKey: .inSync)
        try container.encode(current, forKey: .current)
        try container.encode(desired, forKey: .desired)
        try container.encode(changes, forKey: .changes)
        try container.encode(forceRejoin, forKey: .forceRejoin)
    }

    /// The settings the planner reconciles, in the request's shape; every member is written, `null`
    /// when there is no value (no wish, or no rejoin limits accepted yet).
    struct Settings: Encodable {
        var rx1DROffset: UInt8?
        var rx2DataRate: UInt8?
        var rx2Frequency: UInt32?
        var rx1Delay: Int?
        var maxDutyCycle: UInt8?
        var channels: [Channel]
        var rejoin: Rejoin?

        enum CodingKeys: String, CodingKey {
            case rx1DROffset = "rx1_dr_offset", rx2DataRate = "rx2_data_rate", rx2Frequency = "rx2_frequency", rx1Delay = "rx1_delay"
            case maxDutyCycle = "max_duty_cycle", channels, rejoin
        }

        init(_ current: MACSettings) {
            rx1DROffset = current.rx1DROffset.rawValue
            rx2DataRate = current.rx2DataRate.rawValue
            rx2Frequency = current.rx2Frequency.hertz
            rx1Delay = current.rx1Delay.seconds
            maxDutyCycle = current.maxDutyCycle.rawValue
            channels = current.uplinkChannels.map { Channel($0, enabled: current.enabledUplinkChannels.contains($0.index)) }
            if let maxTimeN = current.rejoinMaxTimeN, let maxCountN = current.rejoinMaxCountN {
                rejoin = Rejoin(maxTimeN: maxTimeN.rawValue, maxCountN: maxCountN.rawValue)
            }
        }

        init(_ desired: DesiredMACSettings) {
            rx1DROffset = desired.rx1DROffset?.rawValue
            rx2DataRate = desired.rx2DataRate?.rawValue
            rx2Frequency = desired.rx2Frequency?.hertz
            rx1Delay = desired.rx1Delay?.seconds
            maxDutyCycle = desired.maxDutyCycle?.rawValue
            channels = desired.channels.map { Channel($0, enabled: nil) }
            rejoin = desired.rejoin.map { Rejoin(maxTimeN: $0.maxTimeN.rawValue, maxCountN: $0.maxCountN.rawValue) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rx1DROffset, forKey: .rx1DROffset)
            try container.encode(rx2DataRate, forKey: .rx2DataRate)
            try container.encode(rx2Frequency, forKey: .rx2Frequency)
            try container.encode(rx1Delay, forKey: .rx1Delay)
            try container.encode(maxDutyCycle, forKey: .maxDutyCycle)
            try container.encode(channels, forKey: .channels)
            try container.encode(rejoin, forKey: .rejoin)
        }
    }

    /// A channel; `enabled` (the channel mask) only for the current settings.
    struct Channel: Encodable {
        var index: Int
        var frequency: UInt32
        var minDR: UInt8
        var maxDR: UInt8
        var enabled: Bool?

        enum CodingKeys: String, CodingKey {
            case index, frequency, minDR = "min_dr", maxDR = "max_dr", enabled
        }

        init(_ channel: RegionalChannel, enabled: Bool?) {
            index = channel.index
            frequency = channel.frequency.hertz
            minDR = channel.dataRates.lowerBound.rawValue
            maxDR = channel.dataRates.upperBound.rawValue
            self.enabled = enabled
        }
    }

    struct Rejoin: Encodable {
        var maxTimeN: UInt8
        var maxCountN: UInt8

        enum CodingKeys: String, CodingKey {
            case maxTimeN = "max_time_n", maxCountN = "max_count_n"
        }
    }

    /// One setting that differs from the wish.
    struct Change: Encodable {
        /// `rx1_delay`, `rx_parameters`, `max_duty_cycle`, `channel` (with `channel`), `rejoin`.
        var setting: String
        var channel: UInt8?
        var state: String
        var request: String
        /// The device's answer, for `rejected`.
        var answer: String?
        var detail: String

        init(_ change: MACSettingsPlanner.Change) {
            switch change.setting {
            case .rx1Delay: setting = "rx1_delay"
            case .rxParameters: setting = "rx_parameters"
            case .maxDutyCycle: setting = "max_duty_cycle"
            case .channel(let index):
                setting = "channel"
                channel = index
            case .rejoinParameters: setting = "rejoin"
            }
            request = change.request.description
            switch change.state {
            case .queued:
                state = "queued"
                detail = "goes out with the device's next downlink"
            case .awaitingAnswer:
                state = "awaiting_answer"
                detail = "sent; the device's answer is awaited"
            case .rejected(let answer):
                state = "rejected"
                self.answer = answer.description
                detail = "the device refused it; it is not asked again until the desired settings are set again"
            case .notApplicable(let reason):
                state = "not_applicable"
                detail = reason
            }
        }
    }

    /// A ForceRejoinReq waiting for the device's next downlink.
    struct ForceRejoin: Encodable {
        var state = "queued"
        var rejoinType: UInt8
        var dataRate: UInt8
        var maxRetries: UInt8
        var period: UInt8

        enum CodingKeys: String, CodingKey {
            case state, rejoinType = "rejoin_type", dataRate = "data_rate", maxRetries = "max_retries", period
        }

        init(_ request: ForceRejoinRequest) {
            rejoinType = request.rejoinType.rawValue
            dataRate = request.dataRate.rawValue
            maxRetries = request.maxRetries.rawValue
            period = request.period.rawValue
        }
    }
}
