import BackendInterfaces
import LoRaWAN
import StrictJSON

/// One message a LoRa Basics Station sends on its traffic connection: one JSON object per websocket
/// text frame, dispatched on `msgtype` (basics-station-protocol §3.3).
///
/// Uplinks and transmission reports come out as the Network Server's hand-off types, stamped with the
/// gateway EUI of the connection (which the TLS client certificate proved, not anything in the
/// message). Messages Gatehouse does not handle (`dndf`, `jacc` from device mode, `rmtsh` output,
/// newer types) are ``unknown(msgtype:)``, so the session can log and ignore them.
public enum StationMessage: Sendable, Equatable {
    /// `version`: the first message; answer it with a ``RouterConfig``.
    case version(StationVersion)
    /// `jreq`, `rejoin`, `updf` or `propdf`, with the rebuilt PHYPayload and radio metadata.
    case uplink(StationUplinkKind, GatewayUplink)
    /// `dntxed`: a downlink went on air.
    case downlinkTransmitted(GatewayDownlinkTransmitted)
    /// `timesync`: the station asks for GPS time; answer with ``StationTimeSyncRequest/reply(gpsTime:)``.
    case timeSync(StationTimeSyncRequest)
    /// Any other `msgtype` (cut to 64 characters).
    case unknown(msgtype: String)

    /// Decodes one text frame received from `gateway`.
    public init(decoding bytes: [UInt8], from gateway: EUI64) throws(StationProtocolError) {
        let object = try StationJSON.message(bytes)
        let msgtype = try object.string("msgtype")
        if let kind = StationUplinkKind(rawValue: msgtype) {
            self = .uplink(kind, try Self.uplink(kind, object, gateway: gateway))
            return
        }
        switch msgtype {
        case "version": self = .version(try StationVersion(decoding: object))
        case "dntxed": self = .downlinkTransmitted(try Self.downlinkTransmitted(object, gateway: gateway))
        case "timesync": self = .timeSync(try StationTimeSyncRequest(decoding: object))
        default: self = .unknown(msgtype: String(msgtype.prefix(64)))
        }
    }

    /// Decodes one text frame received from `gateway`.
    public init(decoding text: String, from gateway: EUI64) throws(StationProtocolError) {
        try self.init(decoding: Array(text.utf8), from: gateway)
    }

    /// The message's `msgtype`, for logs and metric labels.
    public var msgtype: String {
        switch self {
        case .version: "version"
        case .uplink(let kind, _): kind.rawValue
        case .downlinkTransmitted: "dntxed"
        case .timeSync: "timesync"
        case .unknown(let msgtype): msgtype
        }
    }

    private static func uplink(
        _ kind: StationUplinkKind, _ object: JSONObject, gateway: EUI64
    ) throws(StationProtocolError) -> GatewayUplink {
        let phyPayload: [UInt8] = switch kind {
        case .joinRequest, .rejoinRequest: try StationUplinkDecoding.joinRequestPHYPayload(object, kind: kind)
        case .dataFrame: try StationUplinkDecoding.dataFramePHYPayload(object)
        case .proprietaryFrame: try StationUplinkDecoding.proprietaryPHYPayload(object)
        }
        return GatewayUplink(
            gatewayEUI: gateway, phyPayload: phyPayload, metadata: try StationUplinkDecoding.radioMetadata(object))
    }

    /// `diid` (older stations: `seqno`), `DR`, `Freq`, `DevEui`, `xtime`, `txtime`, `gpstime`.
    private static func downlinkTransmitted(_ object: JSONObject, gateway: EUI64) throws(StationProtocolError) -> GatewayDownlinkTransmitted {
        let diid: Int64 = object["diid"] != nil ? try object.integer("diid") : try object.integer("seqno")
        return GatewayDownlinkTransmitted(
            diid: diid, gatewayEUI: gateway,
            devEUI: try StationUplinkDecoding.euiInEitherSpelling(object, "DevEui", "DevEUI"),
            xtime: try object.integer("xtime"),
            txtime: try object.number("txtime"),
            gpsTime: try object.optionalInteger("gpstime") ?? 0,
            dataRate: try StationUplinkDecoding.dataRateIndex(object, "DR"),
            frequency: Frequency(hertz: try object.integer("Freq")))
    }
}
