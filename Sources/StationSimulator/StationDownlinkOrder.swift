import Foundation
import LoRaWAN

/// A `dnmsg` as the station reads it (basics-station-protocol §3.4): which device, which frame, and
/// when and where to transmit it.
public struct StationDownlinkOrder: Sendable, Equatable {
    /// A receive window: data rate and frequency.
    public struct Window: Sendable, Equatable {
        public let dataRate: DataRateIndex
        public let frequency: Frequency
    }

    /// 00-00-00-00-00-00-00-00 for multicast (no `dntxed` follows).
    public let devEUI: EUI64
    /// `dC`: 0 class A, 1 class B, 2 class C.
    public let deviceClass: Int
    public let diid: Int64
    public let pdu: [UInt8]
    /// Seconds from the uplink to RX1; absent or 0 counts as 1, as in the station.
    public let rxDelay: Int
    public let rx1: Window?
    public let rx2: Window?
    /// Class A: the `xtime` of the uplink being answered.
    public let xtime: Int64?
    public let rctx: Int64?
    public let gpsTime: Int64?
    public let priority: Int

    /// Decodes a `dnmsg` text frame. The station needs `DevEui`, `dC`, `diid` (or `seqno`) and `pdu`;
    /// the RX1 and RX2 pairs each come whole, or as the `DR`/`Freq` form.
    public init(decoding text: String) throws(SimulatedStationError) {
        let message: DownlinkMessageFields
        do {
            message = try JSONDecoder().decode(DownlinkMessageFields.self, from: Data(text.utf8))
        } catch {
            throw .malformedDownlink("it is not a dnmsg the station can read (\(StationRouterConfig.reason(error)))")
        }
        guard let euiText = message.DevEui ?? message.DevEUI, let devEUI = try? EUI64(parsing: euiText) else {
            throw .malformedDownlink("DevEui is missing or not an EUI")
        }
        guard let diid = message.diid ?? message.seqno else { throw .malformedDownlink("diid is missing") }
        guard let deviceClass = message.dC else { throw .malformedDownlink("dC is missing") }
        guard let hex = message.pdu, let pdu = Hex.decode(hex), !pdu.isEmpty, pdu.count <= 255 else {
            throw .malformedDownlink("pdu is missing, not hex, or longer than 255 bytes")
        }
        func window(_ dataRate: Int?, _ frequency: UInt32?) throws(SimulatedStationError) -> Window? {
            switch (dataRate, frequency) {
            case (nil, nil): return nil
            case (let dr?, let hertz?):
                guard let index = UInt8(exactly: dr).flatMap(DataRateIndex.init(rawValue:)) else {
                    throw .malformedDownlink("data rate \(dr) is not 0-15")
                }
                return Window(dataRate: index, frequency: Frequency(hertz: hertz))
            default: throw .malformedDownlink("a receive window needs both a data rate and a frequency")
            }
        }
        self.devEUI = devEUI
        self.deviceClass = deviceClass
        self.diid = diid
        self.pdu = pdu
        self.xtime = message.xtime
        self.rctx = message.rctx
        self.gpsTime = message.gpstime
        self.priority = message.priority ?? 0
        if let single = try window(message.DR, message.Freq) {
            // The `DR`/`Freq` form transmits in one window with RxDelay 0 (basics-station-protocol §3.4).
            rx1 = single
            rx2 = nil
            rxDelay = 0
        } else {
            rx1 = try window(message.RX1DR, message.RX1Freq)
            rx2 = try window(message.RX2DR, message.RX2Freq)
            rxDelay = max(1, message.RxDelay ?? 1)
        }
        guard rx1 != nil || rx2 != nil else { throw .malformedDownlink("neither RX1 nor RX2 is given") }
    }
}

/// Which message an LNS sent, by `msgtype`.
struct LNSMessageType: Decodable {
    var msgtype: String?
}

/// The `dnmsg` fields, as named on the wire.
private struct DownlinkMessageFields: Decodable {
    var DevEui: String?
    var DevEUI: String?
    var dC: Int?
    var diid: Int64?
    var seqno: Int64?
    var pdu: String?
    var RxDelay: Int?
    var RX1DR: Int?
    var RX1Freq: UInt32?
    var RX2DR: Int?
    var RX2Freq: UInt32?
    var DR: Int?
    var Freq: UInt32?
    var xtime: Int64?
    var rctx: Int64?
    var gpstime: Int64?
    var priority: Int?
}
