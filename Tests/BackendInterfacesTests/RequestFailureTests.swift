import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

/// What a Join Server refuses, and with which answer (reference §3.6, §4; DESIGN: never a 5xx).
@Suite("Backend Interfaces request decoding: what is refused, and how it is answered")
struct RequestFailureTests {
    enum Expected: Sendable {
        /// HTTP 400: no answer header can be built.
        case unanswerable
        /// HTTP 200 with this code; the Description must name `field`; the answer is in `version`.
        case answer(BackendResultCode, field: String, version: BackendProtocolVersion = .v1_0)
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var body: [UInt8]
        var expected: Expected

        init(_ description: String, _ body: JSONBody, _ expected: Expected) {
            self.init(description, body.bytes, expected)
        }

        init(_ description: String, _ body: [UInt8], _ expected: Expected) {
            self.description = description
            self.body = body
            self.expected = expected
        }
    }

    private static let base = JSONBody.joinReq10
    private static let v11 = JSONBody.joinReq11

    static let cases: [Case] = [
        Case("not JSON", Array("DevEUI=0e6d1128609d82be".utf8), .unanswerable),
        Case("an empty body", [], .unanswerable),
        Case("a JSON array", Array(#"[{"MessageType":"JoinReq"}]"#.utf8), .unanswerable),
        Case("a JSON string", Array(#""JoinReq""#.utf8), .unanswerable),
        Case("JSON followed by more", base.bytes + Array("{}".utf8), .unanswerable),
        Case("a JoinAns sent as a request", base.setting("MessageType", #""JoinAns""#), .unanswerable),
        Case("a HomeNSAns sent as a request", base.setting("MessageType", #""HomeNSAns""#), .unanswerable),
        Case("MessageType missing", base.removing("MessageType"), .unanswerable),
        Case("MessageType null", base.setting("MessageType", "null"), .unanswerable),
        Case("MessageType not a string", base.setting("MessageType", "1"), .unanswerable),
        Case("MessageType of roaming (PRStartReq)", base.setting("MessageType", #""PRStartReq""#), .unanswerable),
        Case("MessageType in the wrong case", base.setting("MessageType", #""joinreq""#), .unanswerable),
        Case("a member twice", Array((base.text.dropLast() + #","DevEUI":"0000000000000001"}"#).utf8), .unanswerable),
        Case("invalid UTF-8 in a string", Array(base.text.utf8).replacing(Array("000031".utf8), with: [0x30, 0xFF, 0xFE, 0x30]), .unanswerable),
        Case("a lone surrogate", base.setting("SenderID", #""\ud800""#), .unanswerable),
        Case("a control character in a string", base.setting("SenderID", "\"00\u{01}0031\""), .unanswerable),
        Case("a body over 32 KiB", base.setting("Padding", "\"\(String(repeating: "x", count: 32 * 1024))\""), .unanswerable),
        Case("nesting 10,000 deep", base.setting("Deep", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)), .unanswerable),

        Case("ProtocolVersion 2.0", base.setting("ProtocolVersion", #""2.0""#), .answer(.invalidProtocolVersion, field: "ProtocolVersion")),
        Case("ProtocolVersion 1.2", v11.setting("ProtocolVersion", #""1.2""#), .answer(.invalidProtocolVersion, field: "ProtocolVersion")),
        Case("ProtocolVersion missing", base.removing("ProtocolVersion"), .answer(.invalidProtocolVersion, field: "ProtocolVersion")),
        Case("ProtocolVersion a number", base.setting("ProtocolVersion", "1.0"), .answer(.invalidProtocolVersion, field: "ProtocolVersion")),
        Case("ProtocolVersion 1.00", base.setting("ProtocolVersion", #""1.00""#), .answer(.invalidProtocolVersion, field: "ProtocolVersion")),

        Case("SenderNSID missing in 1.1", v11.removing("SenderNSID"), .answer(.malformedRequest, field: "SenderNSID", version: .v1_1)),
        Case("SenderNSID null in 1.1", v11.setting("SenderNSID", "null"), .answer(.malformedRequest, field: "SenderNSID", version: .v1_1)),
        Case("SenderNSID a host name (old TTS)", v11.setting("SenderNSID", #""localhost""#), .answer(.malformedRequest, field: "SenderNSID", version: .v1_1)),
        Case("SenderNSID of 6 bytes", v11.setting("SenderNSID", #""095B25BD4633""#), .answer(.malformedRequest, field: "SenderNSID", version: .v1_1)),
        Case("SenderNSID in 1.0", base.setting("SenderNSID", #""095B25BD4633EB9F""#), .answer(.malformedRequest, field: "SenderNSID")),
        Case("HomeNSReq without SenderNSID in 1.1", JSONBody.homeNSReq.setting("ProtocolVersion", #""1.1""#), .answer(.malformedRequest, field: "SenderNSID", version: .v1_1)),
        Case("AppSKeyReq with SenderNSID in 1.0", JSONBody.appSKeyReq.setting("SenderNSID", #""095B25BD4633EB9F""#), .answer(.malformedRequest, field: "SenderNSID")),

        Case("SenderID missing", base.removing("SenderID"), .answer(.malformedRequest, field: "SenderID")),
        Case("SenderID a number", base.setting("SenderID", "31"), .answer(.malformedRequest, field: "SenderID")),
        Case("ReceiverID missing", base.removing("ReceiverID"), .answer(.malformedRequest, field: "ReceiverID")),
        Case("TransactionID missing", base.removing("TransactionID"), .answer(.malformedRequest, field: "TransactionID")),
        Case("TransactionID negative", base.setting("TransactionID", "-1"), .answer(.malformedRequest, field: "TransactionID")),
        Case("TransactionID over UInt32", base.setting("TransactionID", "4294967296"), .answer(.malformedRequest, field: "TransactionID")),
        Case("TransactionID huge", base.setting("TransactionID", String(repeating: "9", count: 400)), .answer(.malformedRequest, field: "TransactionID")),
        Case("TransactionID with a fraction", base.setting("TransactionID", "7.0"), .answer(.malformedRequest, field: "TransactionID")),
        Case("TransactionID with an exponent", base.setting("TransactionID", "7e0"), .answer(.malformedRequest, field: "TransactionID")),
        Case("TransactionID a string", base.setting("TransactionID", #""7""#), .answer(.malformedRequest, field: "TransactionID")),

        Case("bad hex in DevEUI", base.setting("DevEUI", #""deadbeefdeadbeez""#), .answer(.malformedRequest, field: "DevEUI")),
        Case("DevEUI of 7 bytes", base.setting("DevEUI", #""deadbeefdeadbe""#), .answer(.malformedRequest, field: "DevEUI")),
        Case("DevEUI of odd length", base.setting("DevEUI", #""deadbeefdeadbeef0""#), .answer(.malformedRequest, field: "DevEUI")),
        Case("DevEUI with separators", base.setting("DevEUI", #""de-ad-be-ef-de-ad-be-ef""#), .answer(.malformedRequest, field: "DevEUI")),
        Case("DevEUI missing", base.removing("DevEUI"), .answer(.malformedRequest, field: "DevEUI")),
        Case("DevEUI a number", base.setting("DevEUI", "1234"), .answer(.malformedRequest, field: "DevEUI")),
        Case("DevAddr of 3 bytes", base.setting("DevAddr", #""62404a""#), .answer(.malformedRequest, field: "DevAddr")),
        Case("MACVersion 1.2", base.setting("MACVersion", #""1.2""#), .answer(.malformedRequest, field: "MACVersion")),
        Case("MACVersion 1.0.5", base.setting("MACVersion", #""1.0.5""#), .answer(.malformedRequest, field: "MACVersion")),
        Case("MACVersion a number", base.setting("MACVersion", "1.1"), .answer(.malformedRequest, field: "MACVersion")),
        Case("MACVersion missing", base.removing("MACVersion"), .answer(.malformedRequest, field: "MACVersion")),
        Case("RxDelay 16", base.setting("RxDelay", "16"), .answer(.malformedRequest, field: "RxDelay")),
        Case("RxDelay -1", base.setting("RxDelay", "-1"), .answer(.malformedRequest, field: "RxDelay")),
        Case("RxDelay 5.0", base.setting("RxDelay", "5.0"), .answer(.malformedRequest, field: "RxDelay")),
        Case("RxDelay a string", base.setting("RxDelay", #""5""#), .answer(.malformedRequest, field: "RxDelay")),
        Case("RxDelay missing", base.removing("RxDelay"), .answer(.malformedRequest, field: "RxDelay")),
        Case("DLSettings of 3 digits", base.setting("DLSettings", #""003""#), .answer(.malformedRequest, field: "DLSettings")),
        Case("DLSettings of 1 digit", base.setting("DLSettings", #""0x3""#), .answer(.malformedRequest, field: "DLSettings")),
        Case("DLSettings an integer", base.setting("DLSettings", "3"), .answer(.malformedRequest, field: "DLSettings")),
        Case("CFList of 15 bytes", base.setting("CFList", #""184f84e85684b85e84886684586e84""#), .answer(.malformedRequest, field: "CFList")),
        Case("CFList an array", base.setting("CFList", "[]"), .answer(.malformedRequest, field: "CFList")),
        Case("PHYPayload empty", base.setting("PHYPayload", #""""#), .answer(.malformedRequest, field: "PHYPayload")),
        Case("PHYPayload only 0x", base.setting("PHYPayload", #""0x""#), .answer(.malformedRequest, field: "PHYPayload")),
        Case("PHYPayload of 65 bytes", base.setting("PHYPayload", "\"\(String(repeating: "00", count: 65))\""), .answer(.malformedRequest, field: "PHYPayload")),
        Case("PHYPayload missing", base.removing("PHYPayload"), .answer(.malformedRequest, field: "PHYPayload")),
        Case("AppSKeyReq without SessionKeyID", JSONBody.appSKeyReq.removing("SessionKeyID"), .answer(.malformedRequest, field: "SessionKeyID")),
        Case("AppSKeyReq with a non-hex SessionKeyID", JSONBody.appSKeyReq.setting("SessionKeyID", #""session-1""#), .answer(.malformedRequest, field: "SessionKeyID")),
        Case("HomeNSReq without DevEUI", JSONBody.homeNSReq.removing("DevEUI"), .answer(.malformedRequest, field: "DevEUI")),
    ]

    @Test("refused", arguments: cases)
    func refused(_ testCase: Case) throws {
        let failure: BackendDecodingFailure
        do {
            let request = try BackendRequest(decoding: testCase.body)
            Issue.record("accepted as \(request.messageType)")
            return
        } catch {
            failure = error
        }
        switch (testCase.expected, failure) {
        case (.unanswerable, .unanswerable(let reason)):
            #expect(failure.answer == nil)
            // HTTP 400 still gets a JSON body with a Result.
            let body = try #require(JSONComparison.object(failure.responseBody))
            #expect((body["Result"] as? [String: Any])?["ResultCode"] as? String == "MalformedRequest")
            #expect((body["Result"] as? [String: Any])?["Description"] as? String == reason)
        case (.answer(let code, let field, let version), .answerable(let header, let result)):
            #expect(result.code == code)
            #expect(header.protocolVersion == version)
            #expect(result.detail?.contains(field) == true, "\(result)")
            let answer = try #require(failure.answer)
            #expect(answer.result == result)
            #expect(answer.header.protocolVersion == version)
            #expect(answer.header.messageType == header.messageType.answerType)
            #expect(answer.header.senderID == header.receiverID)
            #expect(answer.header.receiverID == header.senderID)
            #expect(try BackendAnswer(decoding: failure.responseBody) == answer)
        default:
            Issue.record("expected \(testCase.expected), got \(failure)")
        }
    }

    @Test("a refused answer addresses the request: IDs swapped, TransactionID and NSID echoed")
    func answerAddressesRequest() throws {
        let body = JSONBody.joinReq11.setting("TransactionID", "77").setting("DevEUI", #""zz""#).bytes
        #expect(throws: BackendDecodingFailure.self) { try BackendRequest(decoding: body) }
        do {
            _ = try BackendRequest(decoding: body)
        } catch {
            let answer = try #require(error.answer)
            #expect(answer.messageType == .joinAns)
            #expect(answer.header.transactionID == 77)
            #expect(answer.header.senderID == "F93FA7142977F04B")
            #expect(answer.header.receiverID == "000031")
            #expect(answer.header.receiverNSID == EUI64(0x095B_25BD_4633_EB9F))
            #expect(answer.header.protocolVersion == .v1_1)
        }
    }

    @Test("an unknown ProtocolVersion is answered in 1.0, without NSIDs")
    func invalidVersionAnsweredIn10() throws {
        let body = JSONBody.joinReq11.setting("ProtocolVersion", #""2.0""#).bytes
        do {
            _ = try BackendRequest(decoding: body)
            Issue.record("accepted")
        } catch {
            let answer = try #require(error.answer)
            #expect(answer.result.code == .invalidProtocolVersion)
            #expect(answer.header.protocolVersion == .v1_0)
            #expect(answer.header.receiverNSID == nil)
            #expect(!String(decoding: answer.encoded(), as: UTF8.self).contains("NSID"))
        }
    }

    @Test("a Description names the field but never echoes its value (it may be key material)")
    func descriptionsDoNotEchoValues() throws {
        let secret = "a1a23cd78fba967c0d371ef14b0f60ez"
        for field in ["DevEUI", "DevAddr", "PHYPayload", "CFList", "DLSettings", "SenderNSID"] {
            let body = JSONBody.joinReq11.setting(field, "\"\(secret)\"").bytes
            do {
                _ = try BackendRequest(decoding: body)
                Issue.record("\(field) accepted")
            } catch {
                #expect(!error.description.lowercased().contains("a1a23cd7"), "\(error)")
                #expect(!String(decoding: error.responseBody, as: UTF8.self).lowercased().contains("a1a23cd7"))
                #expect(error.description.contains(field))
            }
        }
    }
}

extension Array where Element == UInt8 {
    /// The first occurrence of `pattern` replaced.
    fileprivate func replacing(_ pattern: [UInt8], with replacement: [UInt8]) -> [UInt8] {
        guard let start = indices.first(where: { self[$0...].starts(with: pattern) }) else { return self }
        return Array(self[..<start]) + replacement + Array(self[(start + pattern.count)...])
    }
}
