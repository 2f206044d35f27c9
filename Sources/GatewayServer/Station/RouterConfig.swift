import Foundation
import LoRaWAN
import StrictJSON

/// The `router_config` message that configures a station's radio for a region (basics-station-protocol
/// §3.4). The LNS sends it in answer to `version`, before any downlink.
///
/// Everything comes from ``RegionalParameters`` (`RegionalParameters+Station.swift`): the band, the
/// 16 data rates, one SX1301 receive plan and the uplink channels it hears. `JoinEui` and `NetID` are
/// `null` (no filtering at the gateway: the Network Server decides). The station's duty-cycle,
/// listen-before-talk and dwell-time checks stay on unless ``disablesStationRegulatoryChecks`` is set,
/// which is for development against a simulated radio only.
public struct RouterConfig: Sendable, Equatable {
    public var parameters: RegionalParameters
    /// The server's clock when sending (`MuxTime`); the station then stamps uplinks with `RefTime`.
    public var muxTime: Date?
    /// Sends `nocca`, `nodc` and `nodwell` as `true` (ignored by production station builds).
    public var disablesStationRegulatoryChecks: Bool

    /// The hardware specifier this build understands (`sx1301/1`: one SX1301 concentrator).
    public static let hardwareSpecifier = "sx1301/1"

    public init(parameters: RegionalParameters, muxTime: Date? = nil, disablesStationRegulatoryChecks: Bool = false) {
        self.parameters = parameters
        self.muxTime = muxTime
        self.disablesStationRegulatoryChecks = disablesStationRegulatoryChecks
    }

    /// The text frame to send.
    public func encoded() throws(StationEncodingError) -> String {
        try StationJSON.frame(json())
    }

    package func json() throws(StationEncodingError) -> JSONValue {
        var message = JSONObject()
        message.append("msgtype", .string("router_config"))
        message.append("region", .string(parameters.stationRegionName))
        message.append("hwspec", .string(Self.hardwareSpecifier))
        message.append("freq_range", .array([
            .integer(Int64(parameters.frequencyRange.lowerBound.hertz)),
            .integer(Int64(parameters.frequencyRange.upperBound.hertz)),
        ]))
        message.append("DRs", .array(parameters.stationDataRates.map { rate in
            .array(rate.routerConfigTriple.map { .integer(Int64($0)) })
        }))
        message.append("sx1301_conf", .array([.object(Self.concentrator(parameters.defaultConcentrator))]))
        message.append("upchannels", .array(parameters.stationUplinkChannels.map { channel in
            .array([
                .integer(Int64(channel.frequency.hertz)),
                .integer(Int64(channel.dataRates.lowerBound.rawValue)),
                .integer(Int64(channel.dataRates.upperBound.rawValue)),
            ])
        }))
        message.append("max_eirp", .float(Double(parameters.maxEIRP)))
        message.append("JoinEui", .null)
        message.append("NetID", .null)
        if disablesStationRegulatoryChecks {
            message.append("nocca", .bool(true))
            message.append("nodc", .bool(true))
            message.append("nodwell", .bool(true))
        }
        if let muxTime { message.append("MuxTime", try StationTime.json(muxTime, field: "MuxTime")) }
        return .object(message)
    }

    /// `sx1301_conf[0]`: both radios, the FSK and LoRa standard channels (disabled when the plan has
    /// none), and all eight multi-SF channels, unused ones explicitly disabled because the station
    /// merges this over its own `station.conf`.
    private static func concentrator(_ plan: SX1301Configuration) -> JSONObject {
        var conf = JSONObject()
        for (name, radio) in [("radio_0", plan.radio0), ("radio_1", plan.radio1)] {
            conf.append(name, .object(JSONObject([
                .init("enable", .bool(radio.enabled)), .init("freq", .integer(Int64(radio.frequency.hertz))),
            ])))
        }
        if let fsk = plan.fskChannel {
            conf.append("chan_FSK", .object(JSONObject([
                .init("enable", .bool(true)), .init("radio", .integer(Int64(fsk.radio.rawValue))),
                .init("if", .integer(Int64(fsk.intermediateFrequency))), .init("datarate", .integer(Int64(fsk.bitsPerSecond))),
            ])))
        } else {
            conf.append("chan_FSK", .object(JSONObject([.init("enable", .bool(false))])))
        }
        if let std = plan.loraStandardChannel {
            conf.append("chan_Lora_std", .object(JSONObject([
                .init("enable", .bool(true)), .init("radio", .integer(Int64(std.radio.rawValue))),
                .init("if", .integer(Int64(std.intermediateFrequency))),
                .init("bandwidth", .integer(Int64(std.bandwidth.hertz))),
                .init("spread_factor", .integer(Int64(std.spreadingFactor.rawValue))),
            ])))
        } else {
            conf.append("chan_Lora_std", .object(JSONObject([.init("enable", .bool(false))])))
        }
        for index in 0..<SX1301Configuration.multiSFChannelCount {
            let name = "chan_multiSF_\(index)"
            if index < plan.multiSFChannels.count {
                let channel = plan.multiSFChannels[index]
                conf.append(name, .object(JSONObject([
                    .init("enable", .bool(true)), .init("radio", .integer(Int64(channel.radio.rawValue))),
                    .init("if", .integer(Int64(channel.intermediateFrequency))),
                ])))
            } else {
                conf.append(name, .object(JSONObject([.init("enable", .bool(false))])))
            }
        }
        return conf
    }
}

/// Server times on the wire: seconds since 1970 as a JSON number with a fraction (`MuxTime`).
enum StationTime {
    static func json(_ instant: Date, field: String) throws(StationEncodingError) -> JSONValue {
        let seconds = instant.timeIntervalSince1970
        guard seconds.isFinite, seconds > 0 else {
            throw .invalidValue(field: field, reason: "\(seconds) is not a time after 1970")
        }
        return .float(seconds)
    }
}
