import BackendInterfaces
import GatewayServer
import LoRaWAN
import PropertyBased
import Testing

/// For any frame a station can receive, the fields it splits the frame into (as `s2e_parse_lora_frame`
/// writes them) rebuild the same bytes.
@Suite("Station uplinks: properties")
struct StationUplinkPropertyTests {
    static let gateway = EUI64(0x0016_C001_FF10_A235)

    /// The station's JSON for a data frame, written the way Basics Station 2.0.6 does.
    static func updf(_ frame: [UInt8], xtime: Int64) -> String {
        let fOptsLength = Int(frame[5] & 0x0F)
        let portOffset = 8 + fOptsLength
        let devAddr = Int32(bitPattern: UInt32(frame[1]) | UInt32(frame[2]) << 8 | UInt32(frame[3]) << 16 | UInt32(frame[4]) << 24)
        let fCnt = Int(frame[6]) | Int(frame[7]) << 8
        let micBytes = frame.suffix(4).map(UInt32.init)
        let mic = Int32(bitPattern: micBytes[0] | micBytes[1] << 8 | micBytes[2] << 16 | micBytes[3] << 24)
        let fPort = portOffset == frame.count - 4 ? -1 : Int(frame[portOffset])
        let payload = portOffset + 1 <= frame.count - 4 ? Array(frame[(portOffset + 1)..<(frame.count - 4)]) : []
        return """
            {"msgtype":"updf","MHdr":\(frame[0]),"DevAddr":\(devAddr),"FCtrl":\(frame[5]),"FCnt":\(fCnt),\
            "FOpts":"\(Hex.encode(frame[8..<portOffset], uppercase: true))","FPort":\(fPort),\
            "FRMPayload":"\(Hex.encode(payload, uppercase: true))","MIC":\(mic),"RefTime":0,"DR":2,"Freq":902300000,\
            "upinfo":{"rctx":0,"xtime":\(xtime),"gpstime":0,"fts":-1,"rssi":-97,"snr":-2.75,"rxtime":1795262495.245758}}
            """
    }

    @Test("every uplink data frame round-trips through the station's field split")
    func dataFrames() async {
        let gen = zip(
            Gen.bool, Gen.uint8().array(of: 4), Gen.uint8(in: 0...15), Gen.uint8(in: 0...15), Gen.uint8().array(of: 2),
            Gen.uint8().array(of: 15), Gen.uint8().array(of: 0...200), Gen.int64())
        await propertyCheck(count: 500, input: gen) { confirmed, devAddr, fCtrlHigh, fOptsLength, fCnt, fOptsPool, rest, xtime in
            // rest = [FPort | FRMPayload], possibly empty, then the MIC's four bytes are taken from it.
            let fOpts = Array(fOptsPool.prefix(Int(fOptsLength)))
            let mic: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF]
            var frame: [UInt8] = [confirmed ? 0x80 : 0x40] + devAddr + [fCtrlHigh << 4 | fOptsLength] + fCnt + fOpts
            frame += rest.prefix(255 - frame.count - 4)
            frame += mic
            let message = try? StationMessage(decoding: Self.updf(frame, xtime: xtime), from: Self.gateway)
            guard case .uplink(.dataFrame, let uplink) = message else {
                Issue.record("not an updf")
                return
            }
            #expect(uplink.phyPayload == frame)
            #expect(uplink.metadata.xtime == xtime)
        }
    }

    @Test("every join-request round-trips through the station's field split")
    func joinRequests() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 22), Gen.int64()) { body, xtime in
            let frame: [UInt8] = [0x00] + body
            let joinEUI = EUI64(littleEndianBytes: frame[1..<9])
            let devEUI = EUI64(littleEndianBytes: frame[9..<17])
            let devNonce = Int(frame[17]) | Int(frame[18]) << 8
            let mic = Int32(bitPattern: UInt32(frame[19]) | UInt32(frame[20]) << 8 | UInt32(frame[21]) << 16 | UInt32(frame[22]) << 24)
            let text = """
                {"msgtype":"jreq","MHdr":0,"JoinEui":"\(joinEUI.dashed)","DevEui":"\(devEUI.dashed)","DevNonce":\(devNonce),\
                "MIC":\(mic),"RefTime":0,"DR":0,"Freq":868100000,"upinfo":{"rctx":3,"xtime":\(xtime),"gpstime":0,"fts":-1,\
                "rssi":-50,"snr":9,"rxtime":0}}
                """
            guard case .uplink(.joinRequest, let uplink) = try? StationMessage(decoding: text, from: Self.gateway) else {
                Issue.record("not a jreq")
                return
            }
            #expect(uplink.phyPayload == frame)
            #expect(uplink.metadata.rctx == 3)
        }
    }
}
