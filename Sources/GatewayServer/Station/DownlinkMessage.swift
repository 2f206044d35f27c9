import BackendInterfaces
import Foundation
import LoRaWAN
import StrictJSON

/// The `dnmsg` that asks a station to transmit a ``GatewayDownlink`` (basics-station-protocol §3.4).
///
/// - Class A: `xtime` and `rctx` of the uplink, `RxDelay`, and the RX1 and/or RX2 pair; the station
///   transmits in RX1 and falls back to RX2 by itself.
/// - Class B: `gpstime` of the ping slot, with the ping slot's data rate and frequency as the RX1 pair.
/// - Class C: the RX2 pair only and no `xtime`: the station sends as soon as it can.
///
/// A multicast downlink (no DevEUI) goes out with `DevEui` 00-00-00-00-00-00-00-00, which the station
/// requires but for which it sends no `dntxed`.
public struct DownlinkMessage: Sendable, Equatable {
    public let downlink: GatewayDownlink
    /// The server's clock when sending; the station uses it for `RefTime`.
    public let muxTime: Date?

    /// The largest PHYPayload LoRaWAN and the station's `pdu` allow.
    public static let maximumPDULength = DataFrameLayout.maximumPHYPayloadLength

    /// Checks that `downlink` carries what its device class needs.
    public init(_ downlink: GatewayDownlink, muxTime: Date? = nil) throws(StationEncodingError) {
        guard !downlink.phyPayload.isEmpty else { throw .invalidDownlink(field: "phyPayload", reason: "is empty") }
        guard downlink.phyPayload.count <= Self.maximumPDULength else {
            throw .invalidDownlink(field: "phyPayload", reason: "is \(downlink.phyPayload.count) bytes, more than \(Self.maximumPDULength)")
        }
        // The station accepts RxDelay 0...15 and reads 0 as 1 (LoRaWAN's Del 0 is one second too).
        guard downlink.rxDelay <= 15 else { throw .invalidDownlink(field: "rxDelay", reason: "is \(downlink.rxDelay), more than 15 s") }
        switch downlink.deviceClass {
        case .a:
            guard let xtime = downlink.uplinkXTime, xtime != 0 else {
                throw .invalidDownlink(field: "uplinkXTime", reason: "is needed to answer an uplink in class A")
            }
            guard downlink.rx1 != nil || downlink.rx2 != nil else {
                throw .invalidDownlink(field: "rx1/rx2", reason: "are both missing; class A needs at least one window")
            }
        case .b:
            guard let gpsTime = downlink.gpsTime, gpsTime > 0 else {
                throw .invalidDownlink(field: "gpsTime", reason: "is needed for a class B ping slot")
            }
            guard downlink.rx1 != nil else { throw .invalidDownlink(field: "rx1", reason: "must hold the ping slot's data rate and frequency") }
        case .c:
            guard downlink.rx2 != nil else { throw .invalidDownlink(field: "rx2", reason: "is needed for class C") }
        }
        if let muxTime { _ = try StationTime.json(muxTime, field: "MuxTime") }
        self.downlink = downlink
        self.muxTime = muxTime
    }

    /// The text frame to send.
    public func encoded() throws(StationEncodingError) -> String {
        try StationJSON.frame(json())
    }

    package func json() throws(StationEncodingError) -> JSONValue {
        var message = JSONObject()
        message.append("msgtype", .string("dnmsg"))
        message.append("DevEui", .string((downlink.devEUI ?? EUI64(0)).dashed))
        message.append("dC", .integer(Int64(downlink.deviceClass.rawValue)))
        message.append("diid", .integer(downlink.diid))
        message.append("pdu", .string(Hex.encode(downlink.phyPayload, uppercase: true)))
        message.append("RxDelay", .integer(Int64(downlink.rxDelay)))
        func appendWindow(_ window: GatewayDownlink.Window?, _ prefix: String) {
            guard let window else { return }
            message.append("\(prefix)DR", .integer(Int64(window.dataRate.rawValue)))
            message.append("\(prefix)Freq", .integer(Int64(window.frequency.hertz)))
        }
        switch downlink.deviceClass {
        case .a:
            appendWindow(downlink.rx1, "RX1")
            appendWindow(downlink.rx2, "RX2")
        case .b:
            appendWindow(downlink.rx1, "RX1")
        case .c:
            appendWindow(downlink.rx2, "RX2")
        }
        message.append("priority", .integer(Int64(downlink.priority)))
        switch downlink.deviceClass {
        case .a:
            if let xtime = downlink.uplinkXTime { message.append("xtime", .integer(xtime)) }
        case .b:
            if let gpsTime = downlink.gpsTime { message.append("gpstime", .integer(gpsTime)) }
        case .c:
            break
        }
        if let rctx = downlink.uplinkRCtx { message.append("rctx", .integer(rctx)) }
        if let muxTime { message.append("MuxTime", try StationTime.json(muxTime, field: "MuxTime")) }
        return .object(message)
    }
}
