import BackendInterfaces
import Foundation
import LoRaWAN

extension ApplicationEvent {
    /// The event's JSON text (schema in ``ApplicationEvent``'s documentation).
    public var json: String {
        var writer = EventJSONWriter()
        writer.string("type", type)
        writer.string("time", ISO8601Timestamp.format(time))
        writer.string("application_id", applicationID?.rawValue)
        writer.string("dev_eui", devEUI?.description)
        switch self {
        case .uplink(let event): Self.write(event, to: &writer)
        case .join(let event):
            writer.string("dev_addr", event.devAddr.description)
            writer.string("join_eui", event.joinEUI.description)
            writer.string("mac_version", event.macVersion.rawValue)
        case .downlinkQueued(let event):
            writer.string("downlink_id", event.downlinkID.uuidString.lowercased())
            writer.integer("f_port", event.fPort)
            writer.integer("f_cnt", event.fCnt)
            writer.bool("confirmed", event.confirmed)
        case .downlinkOutcome(let event):
            writer.string("downlink_id", event.downlinkID.uuidString.lowercased())
            writer.string("detail", event.detail)
        case .error(let event):
            writer.string("dev_addr", event.devAddr?.description)
            writer.string("error", event.code.rawValue)
            writer.string("detail", event.detail)
        }
        return writer.finished()
    }

    /// The UTF-8 of ``json``: the exact bytes a webhook receives and its signature covers.
    public var jsonBytes: [UInt8] { Array(json.utf8) }

    private static func write(_ event: UplinkEvent, to writer: inout EventJSONWriter) {
        writer.string("dev_addr", event.devAddr.description)
        writer.integer("f_port", event.fPort)
        writer.integer("f_cnt", event.fCnt)
        writer.string("payload", Data(event.payload).base64EncodedString())
        writer.bool("confirmed", event.confirmed)
        writer.integer("data_rate", event.dataRate.rawValue)
        writer.integer("frequency", event.frequency.hertz)
        writer.objects("gateways", event.gateways) { gateway, reception in
            gateway.string("gateway_eui", reception.gatewayEUI.description)
            gateway.number("rssi", reception.rssi)
            gateway.number("snr", reception.snr)
            gateway.string("time", ISO8601Timestamp.format(reception.time))
        }
        // Appended, and only for ABP devices: an OTAA device's event keeps its bytes.
        if event.isABP {
            writer.string("activation", "ABP")
            writer.bool("insecure", true)
        }
    }
}
