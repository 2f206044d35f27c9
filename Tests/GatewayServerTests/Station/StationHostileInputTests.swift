import BackendInterfaces
import Foundation
import GatewayServer
import LoRaWAN
import PropertyBased
import Testing

/// Malformed and hostile station messages: each gives a typed error naming the field, never a trap.
@Suite("Station messages: hostile input")
struct StationHostileInputTests {
    static let gateway = EUI64(1)

    static func error(_ text: String) -> StationProtocolError? {
        do {
            _ = try StationMessage(decoding: text, from: gateway)
            return nil
        } catch {
            return error
        }
    }

    static func updf(replacing old: String, with new: String) -> String {
        let text = StationReferenceMessages.dataUplink
        precondition(text.contains(old), "the reference updf has no \(old)")
        return text.replacingOccurrences(of: old, with: new)
    }

    static func jreq(replacing old: String, with new: String) -> String {
        let text = StationReferenceMessages.joinRequest
        precondition(text.contains(old), "the reference jreq has no \(old)")
        return text.replacingOccurrences(of: old, with: new)
    }

    @Test("an xtime past Int64.max is out of range, named upinfo.xtime")
    func xtimeOverflow() {
        let error = Self.error(Self.updf(replacing: "45035996551636597", with: "9223372036854775808"))
        guard case .outOfRange(let field, let value, _) = error else {
            Issue.record("expected outOfRange, got \(String(describing: error))")
            return
        }
        #expect(field == "upinfo.xtime")
        #expect(value == "9223372036854775808")
    }

    @Test("an xtime written as a fraction or a string is the wrong type")
    func xtimeWrongType() {
        #expect(Self.error(Self.updf(replacing: "45035996551636597", with: "4.5035996551636597e16"))
            == .wrongType(field: "upinfo.xtime", expected: "an integer", found: "a number with a fraction or exponent"))
        #expect(Self.error(Self.updf(replacing: "45035996551636597", with: "\"45035996551636597\""))
            == .wrongType(field: "upinfo.xtime", expected: "an integer", found: "a string"))
    }

    @Test("a MIC or DevAddr outside signed 32 bits is refused")
    func thirtyTwoBitFields() {
        #expect(Self.error(Self.updf(replacing: "\"MIC\":188834127", with: "\"MIC\":2147483648"))
            == .outOfRange(field: "MIC", value: "2147483648", allowed: "-2147483648...2147483647"))
        #expect(Self.error(Self.updf(replacing: "\"DevAddr\":637604404", with: "\"DevAddr\":4294967295"))
            == .outOfRange(field: "DevAddr", value: "4294967295", allowed: "-2147483648...2147483647"))
        #expect(Self.error(Self.jreq(replacing: "\"MIC\":1235442767", with: "\"MIC\":-2147483649"))
            == .outOfRange(field: "MIC", value: "-2147483649", allowed: "-2147483648...2147483647"))
    }

    @Test("small fields keep their ranges: DevNonce, FCnt, FCtrl, FPort, DR, Freq")
    func smallFieldRanges() {
        #expect(Self.error(Self.jreq(replacing: "\"DevNonce\":4660", with: "\"DevNonce\":65536"))
            == .outOfRange(field: "DevNonce", value: "65536", allowed: "0...65535"))
        #expect(Self.error(Self.updf(replacing: "\"FCnt\":7", with: "\"FCnt\":-1"))
            == .outOfRange(field: "FCnt", value: "-1", allowed: "0...65535"))
        #expect(Self.error(Self.updf(replacing: "\"FCtrl\":0", with: "\"FCtrl\":256"))
            == .outOfRange(field: "FCtrl", value: "256", allowed: "0...255"))
        #expect(Self.error(Self.updf(replacing: "\"FPort\":10", with: "\"FPort\":256"))
            == .outOfRange(field: "FPort", value: "256", allowed: "-1...255"))
        #expect(Self.error(Self.updf(replacing: "\"DR\":0", with: "\"DR\":16"))
            == .outOfRange(field: "DR", value: "16", allowed: "0...15"))
        #expect(Self.error(Self.updf(replacing: "\"Freq\":867100000", with: "\"Freq\":-867100000"))
            == .outOfRange(field: "Freq", value: "-867100000", allowed: "0...4294967295"))
    }

    @Test("bad hex in FRMPayload, FOpts or an EUI is named")
    func badHex() {
        #expect(Self.error(Self.updf(replacing: "9252CDD763", with: "9252CDD76")) == .invalidHex(field: "FRMPayload"))
        #expect(Self.error(Self.updf(replacing: "9252CDD763", with: "9252CDD7GG")) == .invalidHex(field: "FRMPayload"))
        #expect(Self.error(Self.updf(replacing: "9252CDD763", with: "0x9252CDD763")) == .invalidHex(field: "FRMPayload"))
        #expect(Self.error(Self.updf(replacing: "9252CDD763", with: "92-52")) == .invalidHex(field: "FRMPayload"))
        #expect(Self.error(Self.updf(replacing: "\"FOpts\":\"\"", with: "\"FOpts\":\"zz\"")) == .invalidHex(field: "FOpts"))
        guard case .invalidEUI(let field, _) = Self.error(Self.jreq(replacing: "00-04-A3-0B-00-1C-05-30", with: "00-04-A3-0B-00-1C-05"))
        else {
            Issue.record("expected invalidEUI")
            return
        }
        #expect(field == "DevEui")
    }

    @Test("fields that no received frame could produce are refused")
    func impossibleFrames() {
        // FOpts length disagrees with FCtrl.FOptsLen.
        guard case .invalidFrame(field: "FOpts", _) = Self.error(Self.updf(replacing: "\"FOpts\":\"\"", with: "\"FOpts\":\"03\"")) else {
            Issue.record("expected invalidFrame FOpts")
            return
        }
        // A payload without a port.
        guard case .invalidFrame(field: "FRMPayload", _) = Self.error(Self.updf(replacing: "\"FPort\":10", with: "\"FPort\":-1")) else {
            Issue.record("expected invalidFrame FRMPayload")
            return
        }
        // A downlink MHDR in an updf, a data MHDR in a jreq, RFU bits, another major version.
        for (text, label) in [
            (Self.updf(replacing: "\"MHdr\":64", with: "\"MHdr\":96"), "downlink in updf"),
            (Self.jreq(replacing: "\"MHdr\":0", with: "\"MHdr\":64"), "data in jreq"),
            (Self.updf(replacing: "\"MHdr\":64", with: "\"MHdr\":68"), "RFU bits"),
            (Self.updf(replacing: "\"MHdr\":64", with: "\"MHdr\":65"), "major 1"),
        ] {
            guard case .invalidFrame(field: "MHdr", _) = Self.error(text) else {
                Issue.record("expected invalidFrame MHdr for \(label)")
                continue
            }
        }
        // A frame longer than 255 bytes.
        let long = String(repeating: "AB", count: 250)
        guard case .invalidFrame(field: "FRMPayload", _) = Self.error(Self.updf(replacing: "9252CDD763", with: long)) else {
            Issue.record("expected invalidFrame for an over-long frame")
            return
        }
        // A propdf that is empty or not proprietary.
        let propdf = #"{"msgtype":"propdf","FRMPayload":"%@","DR":0,"Freq":1,"upinfo":{"rctx":0,"xtime":1,"rssi":0,"snr":0}}"#
        for payload in ["", "40010203"] {
            guard case .invalidFrame(field: "FRMPayload", _) = Self.error(propdf.replacingOccurrences(of: "%@", with: payload)) else {
                Issue.record("expected invalidFrame for propdf \(payload)")
                continue
            }
        }
    }

    @Test("missing fields are named, nested ones with their path")
    func missingFields() {
        #expect(Self.error(Self.updf(replacing: "\"MIC\":188834127,", with: "")) == .missingField("MIC"))
        #expect(Self.error(Self.updf(replacing: "\"xtime\":45035996551636597,", with: "")) == .missingField("upinfo.xtime"))
        #expect(Self.error(Self.jreq(replacing: "\"DevEui\":\"00-04-A3-0B-00-1C-05-30\",", with: "")) == .missingField("DevEui"))
        #expect(Self.error(#"{"DR":1}"#) == .missingField("msgtype"))
        #expect(Self.error(#"{"msgtype":"version"}"#) == .missingField("station"))
        #expect(Self.error(Self.updf(replacing: "\"MIC\":188834127", with: "\"MIC\":null"))
            == .wrongType(field: "MIC", expected: "an integer", found: "null"))
    }

    @Test("truncated or malformed JSON is malformedJSON, and non-objects are refused")
    func malformed() {
        let text = StationReferenceMessages.dataUplink
        for cut in stride(from: 0, to: text.utf8.count - 1, by: 7) {
            let truncated = String(decoding: Array(text.utf8)[..<cut], as: UTF8.self)
            guard case .malformedJSON = Self.error(truncated) else {
                Issue.record("a cut at \(cut) was not malformedJSON")
                continue
            }
        }
        for bad in ["", "{", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}",
                    "{\"a\":tru}", "{\"a\":\"\u{01}\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\ud800\"}", "{\"a\":1}}", "{'a':1}"] {
            guard case .malformedJSON = Self.error(bad) else {
                Issue.record("\(bad) was not malformedJSON")
                continue
            }
        }
        #expect(Self.error("[1,2]") == .notAnObject)
        #expect(Self.error("\"updf\"") == .notAnObject)
    }

    @Test("a member name twice is refused: the station and we could read different values")
    func duplicateNames() {
        guard case .malformedJSON(_, let reason) = Self.error(#"{"msgtype":"timesync","txtime":1,"txtime":2}"#) else {
            Issue.record("expected malformedJSON")
            return
        }
        #expect(reason.contains("txtime"))
    }

    @Test("deep nesting and oversized messages are refused without recursion trouble")
    func limits() {
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(Self.error(deep) == .messageTooLarge(size: deep.utf8.count, limit: StationFrameLimits.maximumInboundMessageBytes))
        let nested = "{\"a\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        guard case .malformedJSON(_, let reason) = Self.error(nested) else {
            Issue.record("expected malformedJSON for deep nesting")
            return
        }
        #expect(reason.contains("nested"))
    }

    @Test("a huge number in a field is quoted only in part")
    func longValuesAreCut() {
        let digits = String(repeating: "9", count: 5000)
        guard case .outOfRange(_, let value, _) = Self.error(Self.updf(replacing: "\"FCnt\":7", with: "\"FCnt\":\(digits)")) else {
            Issue.record("expected outOfRange")
            return
        }
        #expect(value.count <= 33)
        guard case .outOfRange = Self.error(Self.updf(replacing: "\"rssi\":-50", with: "\"rssi\":1e999")) else {
            Issue.record("expected outOfRange for an infinite rssi")
            return
        }
    }

    @Test("random bytes never trap the decoder")
    func randomBytes() async {
        await propertyCheck(count: 2000, input: Gen.uint8().array(of: 0...200)) { bytes in
            #expect(throws: StationProtocolError.self) { try StationMessage(decoding: bytes, from: Self.gateway) }
        }
    }

    @Test("mutating one byte of a valid updf either decodes or throws a typed error")
    func mutations() async {
        let original = Array(StationReferenceMessages.dataUplink.utf8)
        await propertyCheck(count: 3000, input: Gen.int(in: 0...(original.count - 1)), Gen.uint8()) { position, byte in
            var bytes = original
            bytes[position] = byte
            let result = Result { () throws(StationProtocolError) in try StationMessage(decoding: bytes, from: Self.gateway) }
            if case .failure(let error) = result { #expect(!error.description.isEmpty) }
        }
    }
}
