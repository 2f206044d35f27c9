import BackendInterfaces
import LoRaWAN
import Testing

/// What a Join Server must accept from The Things Stack, ChirpStack and others (reference §2, §7).
@Suite("Backend Interfaces request decoding: what is accepted")
struct RequestLeniencyTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var body: JSONBody
        var check: @Sendable (BackendRequest) -> Bool
    }

    private static func joinReq(_ request: BackendRequest) -> JoinReq? {
        switch request {
        case .join(let joinReq), .rejoin(let joinReq): joinReq
        case .appSKey, .homeNS: nil
        }
    }

    private static let base = JSONBody.joinReq10
    private static let devEUI = EUI64(0x0E6D_1128_609D_82BE)

    static let cases: [Case] = [
        Case(description: "hex in upper case", body: base.setting("DevEUI", #""0E6D1128609D82BE""#)) { joinReq($0)?.devEUI == devEUI },
        Case(description: "hex in mixed case", body: base.setting("DevEUI", #""0e6D1128609d82BE""#)) { joinReq($0)?.devEUI == devEUI },
        Case(description: "hex with 0x", body: base.setting("DevEUI", #""0x0e6d1128609d82be""#)) { joinReq($0)?.devEUI == devEUI },
        Case(description: "hex with 0X", body: base.setting("DevEUI", #""0X0E6D1128609D82BE""#)) { joinReq($0)?.devEUI == devEUI },
        Case(description: "DevAddr with 0x", body: base.setting("DevAddr", #""0x62404A3E""#)) { joinReq($0)?.devAddr == DevAddr(0x6240_4A3E) },
        Case(description: "DLSettings with 0x", body: base.setting("DLSettings", #""0x83""#)) { joinReq($0)?.dlSettings.byte == 0x83 },
        Case(description: "DLSettings 83: OptNeg set", body: base.setting("DLSettings", #""83""#)) { joinReq($0)?.dlSettings.optNeg == true },
        Case(description: "PHYPayload with 0x and upper case", body: base.setting("PHYPayload", #""0X00ED8A14A4B05B4B9FBE829D6028116D0E5A2C62B08BDC""#)) {
            joinReq($0)?.phyPayload.count == 23
        },
        Case(description: "PHYPayload of 1 byte (its length is the Join Server's to check)", body: base.setting("PHYPayload", #""00""#)) {
            joinReq($0)?.phyPayload == [0]
        },
        Case(description: "PHYPayload of 64 bytes", body: base.setting("PHYPayload", "\"\(String(repeating: "ab", count: 64))\"")) {
            joinReq($0)?.phyPayload.count == 64
        },
        Case(description: "MACVersion 1.0", body: base.setting("MACVersion", #""1.0""#)) { joinReq($0)?.macVersion == .v1_0_0 },
        Case(description: "MACVersion 1.0.0 (ChirpStack)", body: base.setting("MACVersion", #""1.0.0""#)) { joinReq($0)?.macVersion == .v1_0_0 },
        Case(description: "MACVersion 1.0.1", body: base.setting("MACVersion", #""1.0.1""#)) { joinReq($0)?.macVersion == .v1_0_1 },
        Case(description: "MACVersion 1.0.2", body: base.setting("MACVersion", #""1.0.2""#)) { joinReq($0)?.macVersion == .v1_0_2 },
        Case(description: "MACVersion 1.0.4", body: base.setting("MACVersion", #""1.0.4""#)) { joinReq($0)?.macVersion == .v1_0_4 },
        Case(description: "MACVersion 1.1 (The Things Stack)", body: base.setting("MACVersion", #""1.1""#)) { joinReq($0)?.macVersion == .v1_1 },
        Case(description: "MACVersion 1.1.0 (ChirpStack)", body: base.setting("MACVersion", #""1.1.0""#)) { joinReq($0)?.macVersion == .v1_1 },
        Case(description: "ProtocolVersion 1.1 with SenderNSID", body: JSONBody.joinReq11) { $0.header.protocolVersion == .v1_1 },
        Case(description: "SenderNSID in lower case with 0x", body: JSONBody.joinReq11.setting("SenderNSID", #""0x095b25bd4633eb9f""#)) {
            $0.header.senderNSID == EUI64(0x095B_25BD_4633_EB9F)
        },
        Case(description: "SenderNSID null in 1.0 (absent)", body: base.setting("SenderNSID", "null")) { $0.header.senderNSID == nil },
        Case(description: "SenderNSID empty in 1.0 (absent)", body: base.setting("SenderNSID", #""""#)) { $0.header.senderNSID == nil },
        Case(description: "TransactionID 0", body: base.setting("TransactionID", "0")) { $0.header.transactionID == 0 },
        Case(description: "TransactionID UInt32.max", body: base.setting("TransactionID", "4294967295")) { $0.header.transactionID == .max },
        Case(description: "RxDelay 0", body: base.setting("RxDelay", "0")) { joinReq($0)?.rxDelay == 0 },
        Case(description: "RxDelay 15", body: base.setting("RxDelay", "15")) { joinReq($0)?.rxDelay == 15 },
        Case(description: "CFList absent", body: base.removing("CFList")) { joinReq($0).map { $0.cfList == nil } ?? false },
        Case(description: "CFList null", body: base.setting("CFList", "null")) { joinReq($0).map { $0.cfList == nil } ?? false },
        Case(description: "CFList empty", body: base.setting("CFList", #""""#)) { joinReq($0).map { $0.cfList == nil } ?? false },
        Case(description: "CFList with 0x", body: base.setting("CFList", #""0x184F84E85684B85E84886684586E8401""#)) {
            joinReq($0)?.cfList?.cfListType == 1
        },
        Case(description: "unknown members ignored", body: base.setting("VSExtension", #"{"VendorID":"EC656E","Object":{"TTSV3":{"HTenantID":"t"}}}"#)
            .setting("SenderToken", #""0102""#).setting("Unknown", #"[1,2.5,-3e9,true,null,{"a":[]}]"#)) { $0.header.transactionID == 3_555_441_365 },
        Case(description: "members in any order", body: JSONBody(base.members.reversed())) { joinReq($0)?.devEUI == devEUI },
        Case(description: "RejoinReq in 1.0", body: base.setting("MessageType", #""RejoinReq""#)) { $0.messageType == .rejoinReq },
        Case(description: "RejoinReq in 1.1", body: JSONBody.joinReq11.setting("MessageType", #""RejoinReq""#)) {
            $0.messageType == .rejoinReq && $0.header.messageType == .rejoinReq
        },
        Case(description: "an AS-ID as SenderID", body: JSONBody.appSKeyReq) {
            guard case .appSKey(let request) = $0 else { return false }
            return request.header.senderID == "as.example.net" && request.sessionKeyID.count == 16
        },
        Case(description: "SessionKeyID with 0x in lower case", body: JSONBody.appSKeyReq.setting("SessionKeyID", #""0xea65""#)) {
            guard case .appSKey(let request) = $0 else { return false }
            return request.sessionKeyID == [0xEA, 0x65]
        },
        Case(description: "AppSKeyReq in 1.1 without SenderNSID (an AS has none)", body: JSONBody.appSKeyReq.setting("ProtocolVersion", #""1.1""#)) {
            $0.header.protocolVersion == .v1_1 && $0.header.senderNSID == nil
        },
        Case(description: "HomeNSReq", body: JSONBody.homeNSReq) {
            guard case .homeNS(let request) = $0 else { return false }
            return request.devEUI == EUI64(0x8877_12B9_1379_7B9A)
        },
        Case(description: "HomeNSReq in 1.1 with SenderNSID", body: JSONBody.homeNSReq.setting("ProtocolVersion", #""1.1""#).setting("SenderNSID", #""095B25BD4633EB9F""#)) {
            $0.header.senderNSID == EUI64(0x095B_25BD_4633_EB9F)
        },
        Case(description: "escaped characters in strings", body: base.setting("SenderID", #""\u0030\u00300031""#)) { $0.header.senderID == "000031" },
    ]

    @Test("accepted", arguments: cases)
    func accepted(_ testCase: Case) {
        do {
            let request = try BackendRequest(decoding: testCase.body.bytes)
            #expect(testCase.check(request), "\(testCase.body.text)")
        } catch {
            Issue.record("refused: \(error) for \(testCase.body.text)")
        }
    }

    @Test("white space around and inside the JSON is accepted")
    func whitespace() throws {
        let body = " \n\t{ \"ProtocolVersion\" : \"1.0\" ,\r\n" + JSONBody.joinReq10.removing("ProtocolVersion").text.dropFirst() + " \n"
        #expect(try BackendRequest(decoding: Array(body.utf8)).header.protocolVersion == .v1_0)
    }

    @Test("a body of exactly 32 KiB is read")
    func exactlyMaximumSize() throws {
        var body = JSONBody.joinReq10.bytes
        body += Array(repeating: UInt8(ascii: " "), count: BackendRequest.maximumBodySize - body.count)
        #expect(body.count == 32 * 1024)
        #expect(try BackendRequest(decoding: body).messageType == .joinReq)
    }
}
