import Foundation
import LoRaWAN

/// What a station takes from the LNS's `router_config` (basics-station-protocol §3.4), checked as the
/// station checks it: `hwspec` must be `sx1301/1` and `sx1301_conf` an array whose first element
/// configures the concentrator; anything else closes the connection.
public struct StationRouterConfig: Sendable, Equatable {
    /// The region name as sent (`EU868`, `US915`...).
    public let regionName: String
    /// The region, when Gatehouse models it.
    public let region: Region?
    public let frequencyRange: ClosedRange<Frequency>?
    /// `upchannels`: `[freq, minDR, maxDR]` per channel.
    public let uplinkChannels: [RegionalChannel]
    /// The frequencies the concentrator's enabled channels listen on (`sx1301_conf[0]`).
    public let concentratorFrequencies: Set<Frequency>
    /// The server's clock when it sent the message, seconds since 1970.
    public let muxTime: Double?
    /// A `JoinEUI` key switches the station's EUI field names to `JoinEUI`/`DevEUI`.
    public let euiFieldSpelling: StationEUIFieldSpelling

    /// The frequencies the station hears: the concentrator's channels, else `upchannels`, else `nil`
    /// (unknown: devices may use any channel).
    public var audibleFrequencies: Set<Frequency>? {
        if !concentratorFrequencies.isEmpty { return concentratorFrequencies }
        if !uplinkChannels.isEmpty { return Set(uplinkChannels.map(\.frequency)) }
        return nil
    }

    /// Decodes and checks a `router_config` text frame.
    public init(decoding text: String) throws(SimulatedStationError) {
        let message: RouterConfigMessage
        do {
            message = try JSONDecoder().decode(RouterConfigMessage.self, from: Data(text.utf8))
        } catch {
            throw .routerConfigRejected("it is not a router_config the station can read (\(Self.reason(error)))")
        }
        guard message.hwspec == "sx1301/1" else {
            throw .routerConfigRejected("hwspec is \(message.hwspec.map { "'\($0)'" } ?? "missing"), not 'sx1301/1'")
        }
        guard let concentrator = message.sx1301_conf?.first else {
            throw .routerConfigRejected("sx1301_conf is missing or empty")
        }
        regionName = message.region ?? ""
        region = message.region.flatMap { Region($0) }
        if let range = message.freq_range, range.count == 2, range[0] <= range[1] {
            frequencyRange = Frequency(hertz: range[0])...Frequency(hertz: range[1])
        } else {
            frequencyRange = nil
        }
        uplinkChannels = (message.upchannels ?? []).enumerated().compactMap { index, entry in
            guard entry.count == 3, let frequency = UInt32(exactly: entry[0]),
                  let low = UInt8(exactly: entry[1]).flatMap(DataRateIndex.init(rawValue:)),
                  let high = UInt8(exactly: entry[2]).flatMap(DataRateIndex.init(rawValue:)), low <= high
            else { return nil }
            return RegionalChannel(index: index, frequency: Frequency(hertz: frequency), dataRates: low ... high)
        }
        concentratorFrequencies = Self.listeningFrequencies(concentrator)
        muxTime = message.MuxTime
        euiFieldSpelling = message.hasUpperCaseJoinEUI ? .upperCase : .mixedCase
    }

    /// The centre frequency of every enabled LoRa channel: its radio's frequency plus its IF offset.
    private static func listeningFrequencies(_ conf: [String: SX1301Entry]) -> Set<Frequency> {
        var radios: [Int: Int64] = [:]
        for index in 0..<2 {
            if let radio = conf["radio_\(index)"], radio.enable ?? true, let freq = radio.freq { radios[index] = freq }
        }
        var frequencies: Set<Frequency> = []
        let channelNames = (0..<8).map { "chan_multiSF_\($0)" } + ["chan_Lora_std"]
        for name in channelNames {
            guard let channel = conf[name], channel.enable == true, let radio = channel.radio, let base = radios[radio],
                  let hertz = UInt32(exactly: base + (channel.if ?? 0))
            else { continue }
            frequencies.insert(Frequency(hertz: hertz))
        }
        return frequencies
    }

    static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

/// The fields of `router_config` the simulator reads; the station ignores the others too.
private struct RouterConfigMessage: Decodable {
    var region: String?
    var hwspec: String?
    var freq_range: [UInt32]?
    var upchannels: [[Int64]]?
    var sx1301_conf: [[String: SX1301Entry]]?
    var MuxTime: Double?
    var hasUpperCaseJoinEUI = false

    private enum CodingKeys: String, CodingKey {
        case region, hwspec, freq_range, upchannels, sx1301_conf, MuxTime, JoinEUI
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        region = try container.decodeIfPresent(String.self, forKey: .region)
        hwspec = try container.decodeIfPresent(String.self, forKey: .hwspec)
        freq_range = try container.decodeIfPresent([UInt32].self, forKey: .freq_range)
        upchannels = try container.decodeIfPresent([[Int64]].self, forKey: .upchannels)
        sx1301_conf = try container.decodeIfPresent([[String: SX1301Entry]].self, forKey: .sx1301_conf)
        MuxTime = try container.decodeIfPresent(Double.self, forKey: .MuxTime)
        hasUpperCaseJoinEUI = container.contains(.JoinEUI)
    }
}

/// One member of `sx1301_conf[0]`: a radio (`enable`, `freq`) or a channel (`enable`, `radio`, `if`).
/// Other members (`lorawan_public`, `clksrc`...) decode as an entry with nothing set.
private struct SX1301Entry: Decodable {
    var enable: Bool?
    var freq: Int64?
    var radio: Int?
    var `if`: Int64?

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
        enable = try? container.decodeIfPresent(Bool.self, forKey: .enable)
        freq = try? container.decodeIfPresent(Int64.self, forKey: .freq)
        radio = try? container.decodeIfPresent(Int.self, forKey: .radio)
        `if` = try? container.decodeIfPresent(Int64.self, forKey: .if)
    }

    private enum CodingKeys: String, CodingKey { case enable, freq, radio, `if` }
}
