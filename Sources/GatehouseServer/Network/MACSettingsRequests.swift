import Foundation
import LoRaWAN
import NetworkServer

/// `PUT /devices/{devEUI}/mac-settings`: the whole desired settings, each member optional (absent or
/// `null`: no wish). Every member, nested ones included, is checked by name; a value is refused when it
/// cannot be the field at all (here) or when the device's region or version does not allow it (the
/// Network Server, ``NetworkAPIErrorMiddleware``).
struct SetMACSettingsRequest: ApplicationRequest {
    var rx1DROffset: Int?
    var rx2DataRate: Int?
    /// Hz.
    var rx2Frequency: Int?
    /// Seconds, 1 to 15.
    var rx1Delay: Int?
    var maxDutyCycle: Int?
    var channels: [Channel]?
    var rejoin: Rejoin?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case rx1DROffset = "rx1_dr_offset", rx2DataRate = "rx2_data_rate", rx2Frequency = "rx2_frequency", rx1Delay = "rx1_delay"
        case maxDutyCycle = "max_duty_cycle", channels, rejoin
    }

    /// `channels[i]`: an uplink channel to define.
    struct Channel: Decodable {
        var index: Int
        /// Hz.
        var frequency: Int
        var minDR: Int
        var maxDR: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case index, frequency, minDR = "min_dr", maxDR = "max_dr"
        }

        init(from decoder: any Decoder) throws {
            try StrictMembers.check(decoder, CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try container.decode(Int.self, forKey: .index)
            frequency = try container.decode(Int.self, forKey: .frequency)
            minDR = try container.decode(Int.self, forKey: .minDR)
            maxDR = try container.decode(Int.self, forKey: .maxDR)
        }
    }

    /// `rejoin`: RejoinParamSetupReq's limits (LoRaWAN 1.1).
    struct Rejoin: Decodable {
        var maxTimeN: Int
        var maxCountN: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxTimeN = "max_time_n", maxCountN = "max_count_n"
        }

        init(from decoder: any Decoder) throws {
            try StrictMembers.check(decoder, CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maxTimeN = try container.decode(Int.self, forKey: .maxTimeN)
            maxCountN = try container.decode(Int.self, forKey: .maxCountN)
        }
    }

    /// The typed settings, or a 400 naming the first member that cannot be its field.
    func desired() throws -> DesiredMACSettings {
        var desired = DesiredMACSettings()
        desired.rx1DROffset = try rx1DROffset.map { try MACSettingsFields.bitField($0, "rx1_dr_offset") }
        desired.rx2DataRate = try rx2DataRate.map { try MACSettingsFields.dataRate($0, "rx2_data_rate") }
        desired.rx2Frequency = try rx2Frequency.map { try MACSettingsFields.frequency($0, "rx2_frequency") }
        desired.rx1Delay = try rx1Delay.map { seconds in
            guard (1...15).contains(seconds) else { throw APIError.field("rx1_delay", "is 1 to 15 seconds") }
            return RXTimingDelay(truncatingIfNeeded: UInt8(seconds))
        }
        desired.maxDutyCycle = try maxDutyCycle.map { try MACSettingsFields.bitField($0, "max_duty_cycle") }
        desired.channels = try (channels ?? []).enumerated().map { position, channel in
            let path = "channels[\(position)]"
            guard (0...255).contains(channel.index) else { throw APIError.field("\(path).index", "is a channel index, 0 to 255") }
            let lowest = try MACSettingsFields.dataRate(channel.minDR, "\(path).min_dr")
            let highest = try MACSettingsFields.dataRate(channel.maxDR, "\(path).max_dr")
            guard lowest <= highest else { throw APIError.field("\(path).max_dr", "is below min_dr") }
            return RegionalChannel(
                index: channel.index, frequency: try MACSettingsFields.frequency(channel.frequency, "\(path).frequency"), dataRates: lowest...highest)
        }
        desired.rejoin = try rejoin.map { rejoin in
            DesiredRejoinParameters(
                maxTimeN: try MACSettingsFields.bitField(rejoin.maxTimeN, "rejoin.max_time_n"),
                maxCountN: try MACSettingsFields.bitField(rejoin.maxCountN, "rejoin.max_count_n"))
        }
        return desired
    }
}

/// `POST /devices/{devEUI}/force-rejoin`: every member optional; the defaults are a rejoin-request
/// type 0 at the device's current data rate, sent once (`max_retries` 0, `period` 0).
struct ForceRejoinRequestBody: ApplicationRequest {
    /// 0 or 2.
    var rejoinType: Int?
    var dataRate: Int?
    /// 0 to 7.
    var maxRetries: Int?
    /// 0 to 7: 32 s × 2^period between retries.
    var period: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case rejoinType = "rejoin_type", dataRate = "data_rate", maxRetries = "max_retries", period
    }

    func rejoinTypeValue() throws -> ForceRejoinRequest.RejoinType {
        guard let rejoinType else { return .type0 }
        guard let value = UInt8(exactly: rejoinType).flatMap(ForceRejoinRequest.RejoinType.init(rawValue:)) else {
            throw APIError.field("rejoin_type", "is 0 or 2 (rejoin-request type 0 or 2)")
        }
        return value
    }

    func dataRateValue() throws -> DataRateIndex? { try dataRate.map { try MACSettingsFields.dataRate($0, "data_rate") } }
    func maxRetriesValue() throws -> ForceRejoinMaxRetries { try MACSettingsFields.bitField(maxRetries ?? 0, "max_retries") }
    func periodValue() throws -> ForceRejoinPeriod { try MACSettingsFields.bitField(period ?? 0, "period") }
}

/// Numbers of the MAC settings requests as typed fields; each refusal a 400 naming the member.
enum MACSettingsFields {
    static func bitField<Field: MACCommandBitField>(_ value: Int, _ member: String) throws -> Field {
        guard let byte = UInt8(exactly: value), let field = Field(rawValue: byte) else {
            throw APIError.field(member, "is 0 to \(Field.maximum)")
        }
        return field
    }

    static func dataRate(_ value: Int, _ member: String) throws -> DataRateIndex {
        guard let index = UInt8(exactly: value).flatMap(DataRateIndex.init(rawValue:)) else {
            throw APIError.field(member, "is a data rate index, 0 to 15")
        }
        return index
    }

    static func frequency(_ value: Int, _ member: String) throws -> Frequency {
        guard let hertz = UInt32(exactly: value), hertz > 0 else { throw APIError.field(member, "is a frequency in Hz") }
        return Frequency(hertz: hertz)
    }
}

/// Refuses a member a nested request object does not define (the top level is checked by
/// ``ApplicationRequestBody``): a misspelt `max_dr` must not be read as a missing one.
enum StrictMembers {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func check<Keys: CodingKey & CaseIterable>(_ decoder: any Decoder, _ keys: Keys.Type) throws {
        let known = Set(Keys.allCases.map(\.stringValue))
        let members = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        guard let unknown = members.sorted().first(where: { !known.contains($0) }) else { return }
        let name = unknown.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) } && unknown.utf8.count <= 24 ? unknown : "a member"
        throw APIError.field("\(path(decoder.codingPath)).\(name)", "is not a member (expected \(known.sorted().joined(separator: ", ")))")
    }

    /// `channels[0]` for a coding path.
    private static func path(_ keys: [any CodingKey]) -> String {
        keys.reduce(into: "") { text, key in
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
    }
}
