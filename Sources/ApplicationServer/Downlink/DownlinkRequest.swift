import Foundation
import LoRaWAN

/// An application's downlink for one device, validated: FPort 1-223 and a payload decoded from
/// base64. Whether it fits the device's data rate is known only once the Network Server reserves a
/// counter (``DownlinkEncryption``).
public struct DownlinkRequest: Sendable, Equatable {
    /// Application ports (LoRaWAN 1.1 §4.3.2: 0 is for MAC commands, 224 for the test protocol,
    /// 225-255 reserved).
    public static let applicationPorts: ClosedRange<Int> = 1...223

    public let devEUI: EUI64
    public let fPort: UInt8
    public let payload: [UInt8]
    public let confirmed: Bool

    public init(devEUI: EUI64, fPort: Int, payload: [UInt8], confirmed: Bool) throws(DownlinkError) {
        guard Self.applicationPorts.contains(fPort) else { throw .invalidFPort(fPort) }
        // No LoRaWAN data rate carries more than 242 bytes of FRMPayload; this bound only keeps an
        // absurd request from reaching the Network Server.
        guard payload.count <= 255 else { throw .payloadTooLong(size: payload.count, maximum: 255) }
        self.devEUI = devEUI
        self.fPort = UInt8(fPort)
        self.payload = payload
        self.confirmed = confirmed
    }

    /// From an API request: the payload in standard base64 (RFC 4648 §4, padded).
    public init(devEUI: EUI64, fPort: Int, payloadBase64: String, confirmed: Bool) throws(DownlinkError) {
        guard let data = Data(base64Encoded: payloadBase64) else { throw .invalidBase64 }
        try self.init(devEUI: devEUI, fPort: fPort, payload: Array(data), confirmed: confirmed)
    }
}
