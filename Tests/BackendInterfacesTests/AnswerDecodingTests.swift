import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

/// The client side: answers as The Things Stack, ChirpStack and BR's Join Server write them.
@Suite("Backend Interfaces answer decoding")
struct AnswerDecodingTests {
    private static let header =
        #""ProtocolVersion":"1.0","SenderID":"9f4b5bb0a4148aed","ReceiverID":"000031","TransactionID":7,"MessageType":"JoinAns""#

    private static func answer(_ members: String) throws -> BackendAnswer {
        try BackendAnswer(decoding: Array("{\(header),\(members)}".utf8))
    }

    private static func joinAns(_ members: String) throws -> JoinAns {
        guard case .join(let answer) = try answer(members) else { throw AnswerDecodingFailure() }
        return answer
    }

    struct AnswerDecodingFailure: Error {}

    @Test("The Things Stack's error answer (reference §3.6)")
    func ttsErrorAnswer() throws {
        let body = #"{"ProtocolVersion":"1.0","TransactionID":7,"MessageType":"JoinAns","SenderID":"9f4b5bb0a4148aed","ReceiverID":"000031","Result":{"ResultCode":"MICFailed","Description":"error:pkg/joinserver:mic_mismatch (MIC mismatch)"}}"#
        let answer = try BackendAnswer(decoding: Array(body.utf8))
        #expect(answer.messageType == .joinAns)
        #expect(answer.result == BackendResult(.micFailed, "error:pkg/joinserver:mic_mismatch (MIC mismatch)"))
        #expect(answer.header.transactionID == 7)
        #expect(answer.header.senderID == "9f4b5bb0a4148aed")
    }

    @Test("lower-case hex, 0x, null and empty optionals are read")
    func lenientFields() throws {
        let answer = try Self.joinAns(
            #""Result":{"ResultCode":"Success","Description":""},"PHYPayload":"0x20db1b","Lifetime":null,"#
                + #""NwkSKey":{"KEKLabel":"ns:000031","AESKey":"8015ba6e1c5b878306fbaf6b91c757f3a7aecf7d9d4a8744"},"#
                + #""AppSKey":{"AESKey":"A1A23CD78FBA967C0D371EF14B0F60ED"},"SessionKeyID":"","FNwkSIntKey":null"#)
        #expect(answer.result == .success)
        #expect(answer.phyPayload == [0x20, 0xDB, 0x1B])
        #expect(answer.lifetime == nil)
        #expect(answer.nwkSKey?.kekLabel == "ns:000031")
        #expect(answer.nwkSKey?.aesKey.count == 24)
        #expect(answer.appSKey?.isPlain == true)
        #expect(answer.sessionKeyID == nil)
        #expect(answer.fNwkSIntKey == nil)
    }

    @Test("Result as a bare string, as The Things Stack once sent it")
    func resultAsString() throws {
        #expect(try Self.answer(#""Result":"Success""#).result == .success)
    }

    @Test(
        "result codes of other versions and peers map onto 1.0's",
        arguments: [
            ("MalformedMessage", BackendResultCode.malformedRequest),
            ("RoamingActDisallowedA", .roamingActDisallowed),
            ("UnknownReceiver", .unknownReceiver),
            ("UnkownReceiver", .unknownReceiver),
            ("NoAction", .other),
            ("FrameReplayed", .other),
        ])
    func resultCodeAliases(_ wire: String, _ code: BackendResultCode) throws {
        let result = try Self.answer(#""Result":{"ResultCode":"\#(wire)","Description":"why"}"#).result
        #expect(result.code == code)
        if code == .other { #expect(result.detail == "ResultCode \"\(wire)\": why") }
    }

    @Test("unknown members, VSExtension included, are ignored")
    func unknownMembers() throws {
        let answer = try BackendAnswer(decoding: Array(
            (#"{"ProtocolVersion":"1.1","TransactionID":0,"MessageType":"HomeNSAns","SenderID":"F93FA7142977F04B","ReceiverID":"000000","#
                + #""Result":{"ResultCode":"Success"},"HNetID":"000013","HNSID":"0x095b25bd4633eb9f","#
                + #""VSExtension":{"VendorID":"EC656E","Object":{"TTSV3":{"HTenantID":"tenant","HNSAddress":"ns.example.net"}}}}"#).utf8))
        guard case .homeNS(let homeNS) = answer else {
            Issue.record("decoded as \(answer.messageType)")
            return
        }
        #expect(homeNS.hNetID == NetID(0x13))
        #expect(homeNS.hNSID == EUI64(0x095B_25BD_4633_EB9F))
    }

    enum Refusal: Sendable {
        case tooLarge, invalidJSON, notAnAnswer
        case field(String)
    }

    /// An answer body that must be refused, printed by name only.
    struct Refused: Sendable, CustomTestStringConvertible {
        var name: String
        var body: String
        var expected: Refusal

        init(_ name: String, _ body: String, _ expected: Refusal) {
            self.name = name
            self.body = body
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static let refusals: [Refused] = [
        Refused("not JSON", "<html>502 Bad Gateway</html>", .invalidJSON),
        Refused("an array", "[]", .invalidJSON),
        Refused("a request", #"{"MessageType":"JoinReq"}"#, .notAnAnswer),
        Refused("no MessageType", #"{"Result":{"ResultCode":"Success"}}"#, .notAnAnswer),
        Refused("an unknown MessageType", #"{"MessageType":"PRStartAns"}"#, .notAnAnswer),
        Refused("ProtocolVersion 2.0", "{\(header.replacingOccurrences(of: "\"1.0\"", with: "\"2.0\"")),\"Result\":\"Success\"}", .field("ProtocolVersion")),
        Refused("no Result", "{\(header)}", .field("Result")),
        Refused("no ResultCode", "{\(header),\"Result\":{}}", .field("Result.ResultCode")),
        Refused("Result a number", "{\(header),\"Result\":0}", .field("Result")),
        Refused("TransactionID over UInt32", "{\(header.replacingOccurrences(of: ":7,", with: ":4294967296,")),\"Result\":\"Success\"}", .field("TransactionID")),
        Refused("bad hex in an envelope", "{\(header),\"Result\":\"Success\",\"NwkSKey\":{\"KEKLabel\":\"\",\"AESKey\":\"xyz\"}}", .field("NwkSKey.AESKey")),
        Refused("an envelope without AESKey", "{\(header),\"Result\":\"Success\",\"AppSKey\":{\"KEKLabel\":\"as\"}}", .field("AppSKey.AESKey")),
        Refused("Lifetime negative", "{\(header),\"Result\":\"Success\",\"Lifetime\":-1}", .field("Lifetime")),
        Refused("ReceiverNSID not an EUI", "{\(header),\"Result\":\"Success\",\"ReceiverNSID\":\"localhost\"}", .field("ReceiverNSID")),
        Refused("over 32 KiB", "{\(header),\"Result\":\"Success\",\"x\":\"\(String(repeating: " ", count: 32 * 1024))\"}", .tooLarge),
    ]

    @Test("answers that do not parse are refused with a typed reason", arguments: refusals)
    func refused(_ refusal: Refused) {
        let (name, body, expected) = (refusal.name, refusal.body, refusal.expected)
        do {
            let answer = try BackendAnswer(decoding: Array(body.utf8))
            Issue.record("\(name): accepted as \(answer.messageType)")
        } catch {
            switch (expected, error) {
            case (.tooLarge, .tooLarge), (.invalidJSON, .invalidJSON), (.notAnAnswer, .notAnAnswer): break
            case (.field(let expectedField), .malformedField(let field, _)): #expect(field == expectedField, "\(name)")
            default: Issue.record("\(name): expected \(expected), got \(error)")
            }
        }
    }

    @Test("a refused answer's reason never holds key bytes")
    func reasonsHoldNoKeys() {
        let body = "{\(Self.header),\"Result\":\"Success\",\"NwkSKey\":{\"KEKLabel\":\"ns\",\"AESKey\":\"8015ba6e1c5b878306fbaf6b91c757f3a7aecf7d9d4a87zz\"}}"
        do {
            _ = try BackendAnswer(decoding: Array(body.utf8))
            Issue.record("accepted")
        } catch {
            #expect(!error.description.contains("8015"))
        }
    }
}
