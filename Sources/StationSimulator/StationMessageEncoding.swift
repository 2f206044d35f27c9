import LoRaWAN

/// How a frame reached the simulated concentrator: the radio fields of `jreq`/`updf` and their `upinfo`
/// (basics-station-protocol §3.3).
public struct StationReception: Sendable, Equatable {
    public var dataRate: DataRateIndex
    public var frequency: Frequency
    /// Bits 55-48 the station's session id, bits 47-0 the concentrator's µs counter.
    public var xtime: Int64
    public var rctx: Int64
    /// µs since the GPS epoch; 0 until the station knows GPS time.
    public var gpsTime: Int64
    public var rssi: Int
    public var snr: Double
    /// The station's UTC time of reception, seconds since 1970.
    public var rxTime: Double
    /// The server's `MuxTime` plus the time elapsed since it arrived; 0 when the server sent none.
    public var refTime: Double

    public init(
        dataRate: DataRateIndex, frequency: Frequency, xtime: Int64, rctx: Int64 = 0, gpsTime: Int64 = 0, rssi: Int,
        snr: Double, rxTime: Double, refTime: Double
    ) {
        self.dataRate = dataRate
        self.frequency = frequency
        self.xtime = xtime
        self.rctx = rctx
        self.gpsTime = gpsTime
        self.rssi = rssi
        self.snr = snr
        self.rxTime = rxTime
        self.refTime = refTime
    }
}

/// The spelling of EUI fields in `jreq` and `dntxed`: `JoinEui`/`DevEui`, or `JoinEUI`/`DevEUI` once a
/// `router_config` contained a `JoinEUI` key (basics-station-protocol §3.3).
public enum StationEUIFieldSpelling: Sendable, Equatable {
    case mixedCase
    case upperCase
}

/// The text frames a LoRa Basics Station 2.0.6 sends on its LNS connections, field for field
/// (basics-station-protocol §3.2, §3.3): what `s2e_parse_lora_frame` makes of a received frame, and the
/// `version`, `dntxed` and router-info messages.
public enum StationMessageEncoding {
    /// `{"router":"<ID6>"}` on `/router-info`.
    public static func routerInfoRequest(_ eui: EUI64) -> String {
        var json = StationJSONWriter(capacity: 64)
        json.beginObject()
        json.string("router", eui.id6)
        json.endObject()
        return json.text
    }

    /// The first message on the traffic connection.
    public static func version(station: String, model: String, features: String = "") -> String {
        var json = StationJSONWriter(capacity: 160)
        json.beginObject()
        json.string("msgtype", "version")
        json.string("station", station)
        json.null("firmware")
        json.null("package")
        json.string("model", model)
        json.integer("protocol", 2)
        json.string("features", features)
        json.endObject()
        return json.text
    }

    /// `jreq` for a 23-byte join-request: `MHdr | JoinEUI | DevEUI | DevNonce | MIC`, each field as the
    /// station prints it; `nil` when the bytes are not a join-request (the station drops those).
    public static func joinRequest(_ phyPayload: [UInt8], reception: StationReception, spelling: StationEUIFieldSpelling) -> String? {
        guard phyPayload.count == JoinRequest.length, (try? MHDR(byte: phyPayload[0]))?.mType == .joinRequest else { return nil }
        let joinEUI = EUI64(littleEndianBytes: phyPayload[1..<9])
        let devEUI = EUI64(littleEndianBytes: phyPayload[9..<17])
        let devNonce = Int64(phyPayload[17]) | Int64(phyPayload[18]) << 8
        let mic = UInt32(phyPayload[19]) | UInt32(phyPayload[20]) << 8 | UInt32(phyPayload[21]) << 16 | UInt32(phyPayload[22]) << 24
        var json = StationJSONWriter()
        json.beginObject()
        json.string("msgtype", "jreq")
        json.integer("MHdr", Int64(phyPayload[0]))
        switch spelling {
        case .mixedCase:
            json.dashedEUI("JoinEui", joinEUI)
            json.dashedEUI("DevEui", devEUI)
        case .upperCase:
            json.dashedEUI("JoinEUI", joinEUI)
            json.dashedEUI("DevEUI", devEUI)
        }
        json.integer("DevNonce", devNonce)
        json.integer("MIC", Int64(Int32(bitPattern: mic)))
        writeRadio(reception, into: &json)
        json.endObject()
        return json.text
    }

    /// `updf` for a data uplink; `nil` when the bytes are not one. `DevAddr` and `MIC` are signed 32-bit,
    /// `FCtrl` includes FOptsLen, `FPort` is -1 without a port, hex is upper-case.
    public static func dataUplink(_ phyPayload: [UInt8], reception: StationReception) -> String? {
        guard let layout = try? DataFrameLayout(parsing: phyPayload), layout.direction == .uplink else { return nil }
        var json = StationJSONWriter()
        json.beginObject()
        json.string("msgtype", "updf")
        json.integer("MHdr", Int64(phyPayload[0]))
        json.integer("DevAddr", Int64(Int32(bitPattern: layout.devAddr.rawValue)))
        json.integer("FCtrl", Int64(layout.fCtrlByte))
        json.integer("FCnt", Int64(layout.fCnt16))
        json.hex("FOpts", phyPayload[layout.fOpts])
        json.integer("FPort", layout.fPort.map(Int64.init) ?? -1)
        json.hex("FRMPayload", phyPayload[layout.frmPayload])
        json.integer("MIC", Int64(Int32(bitPattern: layout.mic.rawValue)))
        writeRadio(reception, into: &json)
        json.endObject()
        return json.text
    }

    /// `dntxed`: the downlink `diid` went on air at `xtime` (the station's actual transmit time).
    public static func downlinkTransmitted(
        diid: Int64, devEUI: EUI64, dataRate: DataRateIndex, frequency: Frequency, rctx: Int64, xtime: Int64, txTime: Double,
        gpsTime: Int64, spelling: StationEUIFieldSpelling
    ) -> String {
        var json = StationJSONWriter(capacity: 224)
        json.beginObject()
        json.string("msgtype", "dntxed")
        json.integer("seqno", diid)
        json.integer("diid", diid)
        json.integer("DR", Int64(dataRate.rawValue))
        json.integer("Freq", Int64(frequency.hertz))
        switch spelling {
        case .mixedCase: json.dashedEUI("DevEui", devEUI)
        case .upperCase: json.dashedEUI("DevEUI", devEUI)
        }
        json.integer("rctx", rctx)
        json.integer("xtime", xtime)
        json.fixed("txtime", txTime, decimals: 6, trimmed: true)
        json.integer("gpstime", gpsTime)
        json.endObject()
        return json.text
    }

    /// `RefTime`, `DR`, `Freq` and `upinfo`, the tail of every uplink message.
    private static func writeRadio(_ reception: StationReception, into json: inout StationJSONWriter) {
        json.fixed("RefTime", reception.refTime, decimals: 6)
        json.integer("DR", Int64(reception.dataRate.rawValue))
        json.integer("Freq", Int64(reception.frequency.hertz))
        json.key("upinfo")
        json.beginObject()
        json.integer("rctx", reception.rctx)
        json.integer("xtime", reception.xtime)
        json.integer("gpstime", reception.gpsTime)
        json.integer("fts", -1)
        json.integer("rssi", Int64(reception.rssi))
        json.fixed("snr", reception.snr, decimals: 2, trimmed: true)
        json.fixed("rxtime", reception.rxTime, decimals: 6)
        json.endObject()
    }
}
