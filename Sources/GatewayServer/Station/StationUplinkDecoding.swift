import BackendInterfaces
import Foundation
import LoRaWAN
import StrictJSON

/// The station's uplink messages (basics-station-protocol §3.3), named by `msgtype`.
public enum StationUplinkKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A join-request.
    case joinRequest = "jreq"
    /// A 23-byte frame with the rejoin MType, reported in the join-request layout.
    case rejoinRequest = "rejoin"
    /// An uplink data frame.
    case dataFrame = "updf"
    /// A proprietary frame, reported whole.
    case proprietaryFrame = "propdf"

    public var description: String { rawValue }
}

/// Rebuilds the exact PHYPayload of an uplink from the fields a station split it into, and reads its
/// radio metadata. The station derives every field from the frame's bytes (`s2e_parse_lora_frame`), so
/// the bytes come back exactly; the checks below refuse fields that no received frame could produce.
enum StationUplinkDecoding {
    /// `MHdr | JoinEUI (LE 8) | DevEUI (LE 8) | DevNonce (LE 2) | MIC (LE 4)`, 23 bytes. The station
    /// forwards only 23-byte frames of these types; a LoRaWAN 1.1 rejoin-request (19 or 24 bytes) never
    /// reaches the LNS through Basics Station 2.0.6, and a `rejoin` message is its bytes read as a
    /// join-request.
    static func joinRequestPHYPayload(_ object: JSONObject, kind: StationUplinkKind) throws(StationProtocolError) -> [UInt8] {
        let mhdr = try mhdrByte(object, allowed: kind == .joinRequest ? [.joinRequest] : [.rejoinRequest])
        let joinEUI = try euiInEitherSpelling(object, "JoinEui", "JoinEUI")
        let devEUI = try euiInEitherSpelling(object, "DevEui", "DevEUI")
        let devNonce: UInt16 = try object.integer("DevNonce")
        let mic: Int32 = try object.integer("MIC")
        var frame: [UInt8] = [mhdr]
        frame.reserveCapacity(JoinRequest.length)
        frame += joinEUI.littleEndianBytes
        frame += devEUI.littleEndianBytes
        appendLE(UInt32(devNonce), byteCount: 2, to: &frame)
        appendLE(UInt32(bitPattern: mic), byteCount: 4, to: &frame)
        return frame
    }

    /// `MHdr | DevAddr (LE 4) | FCtrl | FCnt (LE 2) | FOpts | [FPort | FRMPayload] | MIC (LE 4)`; FPort
    /// −1 means the frame has neither port nor payload.
    static func dataFramePHYPayload(_ object: JSONObject) throws(StationProtocolError) -> [UInt8] {
        let mhdr = try mhdrByte(object, allowed: [.unconfirmedDataUp, .confirmedDataUp])
        let devAddr: Int32 = try object.integer("DevAddr")
        let fCtrl: UInt8 = try object.integer("FCtrl")
        let fCnt: UInt16 = try object.integer("FCnt")
        let fOpts = try object.hexBytes("FOpts")
        // FCtrl.FOptsLen is the FOpts length (LoRaWAN 1.1 §4.3.1); the station copies exactly that many.
        guard fOpts.count == Int(fCtrl & 0x0F) else {
            throw .invalidFrame(field: "FOpts", reason: "\(fOpts.count) bytes, but FCtrl.FOptsLen says \(fCtrl & 0x0F)")
        }
        let fPort = try object.integer("FPort", in: -1...255)
        let payload = try object.hexBytes("FRMPayload")
        guard fPort >= 0 || payload.isEmpty else {
            throw .invalidFrame(field: "FRMPayload", reason: "a payload without a port (FPort -1)")
        }
        let mic: Int32 = try object.integer("MIC")
        var frame: [UInt8] = [mhdr]
        appendLE(UInt32(bitPattern: devAddr), byteCount: 4, to: &frame)
        frame.append(fCtrl)
        appendLE(UInt32(fCnt), byteCount: 2, to: &frame)
        frame += fOpts
        if fPort >= 0 {
            frame.append(UInt8(truncatingIfNeeded: fPort))
            frame += payload
        }
        appendLE(UInt32(bitPattern: mic), byteCount: 4, to: &frame)
        try checkMaximumLength(frame, field: "FRMPayload")
        return frame
    }

    /// The whole frame is in `FRMPayload`; its MHDR must say proprietary, LoRaWAN R1.
    static func proprietaryPHYPayload(_ object: JSONObject) throws(StationProtocolError) -> [UInt8] {
        let frame = try object.hexBytes("FRMPayload")
        guard let first = frame.first else { throw .invalidFrame(field: "FRMPayload", reason: "the frame is empty") }
        guard (try? MHDR(byte: first))?.mType == .proprietary else {
            throw .invalidFrame(field: "FRMPayload", reason: "the first byte is not a proprietary LoRaWAN R1 MHDR")
        }
        try checkMaximumLength(frame, field: "FRMPayload")
        return frame
    }

    /// `DR`, `Freq`, `RefTime` and the `upinfo` object.
    static func radioMetadata(_ object: JSONObject) throws(StationProtocolError) -> UplinkRadioMetadata {
        let dataRate = try dataRateIndex(object, "DR")
        let frequency = Frequency(hertz: try object.integer("Freq"))
        let referenceTime = try object.optionalNumber("RefTime").flatMap(date)
        let upinfo = try object.object("upinfo")
        let fineTimestamp: Int32? = try upinfo.optionalInteger("fts")
        return UplinkRadioMetadata(
            dataRate: dataRate, frequency: frequency,
            rssi: try upinfo.number("rssi"), snr: try upinfo.number("snr"),
            rctx: try upinfo.integer("rctx"), xtime: try upinfo.integer("xtime"),
            gpsTime: try upinfo.optionalInteger("gpstime") ?? 0,
            fineTimestamp: fineTimestamp.flatMap { $0 >= 0 ? $0 : nil },
            stationReceiveTime: try upinfo.optionalNumber("rxtime").flatMap(date),
            referenceTime: referenceTime)
    }

    /// A data rate index 0...15.
    static func dataRateIndex(_ object: JSONObject, _ name: String) throws(StationProtocolError) -> DataRateIndex {
        let value = try object.integer(name, in: 0...15)
        guard let index = DataRateIndex(rawValue: UInt8(truncatingIfNeeded: value)) else {
            throw .outOfRange(field: object.fieldName(name), value: String(value), allowed: "0...15")
        }
        return index
    }

    /// An EUI under either of the station's spellings (`DevEui` until a `router_config` names
    /// `JoinEUI`, `DevEUI` after).
    static func euiInEitherSpelling(_ object: JSONObject, _ first: String, _ second: String) throws(StationProtocolError) -> EUI64 {
        switch (object[first] != nil, object[second] != nil) {
        case (true, false): return try object.eui(first)
        case (false, true): return try object.eui(second)
        case (true, true): throw .invalidFrame(field: first, reason: "both \(first) and \(second) are present")
        case (false, false): throw .missingField(first)
        }
    }

    /// Seconds since 1970 as a date; 0 (the station's "unknown") as `nil`.
    private static func date(_ seconds: Double) -> Date? {
        seconds > 0 ? Date(timeIntervalSince1970: seconds) : nil
    }

    private static func mhdrByte(_ object: JSONObject, allowed: [MType]) throws(StationProtocolError) -> UInt8 {
        let byte: UInt8 = try object.integer("MHdr")
        let mhdr: MHDR
        do {
            mhdr = try MHDR(byte: byte)
        } catch {
            throw .invalidFrame(field: "MHdr", reason: error.description)
        }
        guard allowed.contains(mhdr.mType) else {
            throw .invalidFrame(field: "MHdr", reason: "\(mhdr.mType) does not belong in this message")
        }
        return byte
    }

    private static func checkMaximumLength(_ frame: [UInt8], field: String) throws(StationProtocolError) {
        guard frame.count <= DataFrameLayout.maximumPHYPayloadLength else {
            throw .invalidFrame(
                field: field, reason: "the PHYPayload would be \(frame.count) bytes, more than \(DataFrameLayout.maximumPHYPayloadLength)")
        }
    }

    private static func appendLE(_ value: UInt32, byteCount: Int, to frame: inout [UInt8]) {
        for index in 0..<byteCount { frame.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(index)))) }
    }
}
