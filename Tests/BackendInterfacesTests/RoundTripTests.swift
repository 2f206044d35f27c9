import BackendInterfaces
import LoRaWAN
import Testing

/// Whatever the codec writes, it reads back as the same value.
@Suite("Backend Interfaces round trips")
struct RoundTripTests {
    private static let nsid = EUI64(0x095B_25BD_4633_EB9F)

    private static func header(_ version: BackendProtocolVersion, _ type: BackendMessageType, nsid: Bool = false) -> BackendHeader {
        BackendHeader(
            protocolVersion: version, senderID: "000031", receiverID: "F93FA7142977F04B", transactionID: 4_294_967_295,
            messageType: type, senderNSID: nsid ? Self.nsid : nil)
    }

    private static let joinReq = JoinReq(
        header: header(.v1_1, .joinReq, nsid: true), macVersion: .v1_0_0, phyPayload: Array(0..<23), devEUI: EUI64(0x0102_0304_0506_0708),
        devAddr: DevAddr(0xFFFF_FFFF), dlSettings: DLSettings(byte: 0xF7), rxDelay: 15,
        cfList: try? CFList(bytes: Array(repeating: 0xAB, count: 16)))

    static let requests: [BackendRequest] = [
        .join(joinReq),
        .join(JoinReq(
            header: header(.v1_0, .joinReq), macVersion: .v1_0_4, phyPayload: [0x00], devEUI: EUI64(0), devAddr: DevAddr(0),
            dlSettings: DLSettings(byte: 0), rxDelay: 0)),
        .rejoin(JoinReq(
            header: header(.v1_1, .rejoinReq, nsid: true), macVersion: .v1_1, phyPayload: Array(repeating: 0xC0, count: 64),
            devEUI: EUI64(.max), devAddr: DevAddr(0x0123_4567), dlSettings: DLSettings(byte: 0x83), rxDelay: 5)),
        .appSKey(AppSKeyReq(header: header(.v1_0, .appSKeyReq), devEUI: EUI64(0x8877_12B9_1379_7B9A), sessionKeyID: [0x01])),
        .appSKey(AppSKeyReq(header: header(.v1_1, .appSKeyReq), devEUI: EUI64(1), sessionKeyID: Array(0..<64))),
        .homeNS(HomeNSReq(header: header(.v1_1, .homeNSReq, nsid: true), devEUI: EUI64(0x8877_12B9_1379_7B9A))),
    ] + MACVersion.allCases.map { version in
        var request = joinReq
        request.macVersion = version
        return .join(request)
    }

    @Test("request → bytes → request", arguments: requests)
    func requestRoundTrip(_ request: BackendRequest) throws {
        #expect(try BackendRequest(decoding: request.encoded()) == request)
    }

    private static func answerHeader(_ version: BackendProtocolVersion, _ type: BackendMessageType) -> BackendHeader {
        header(version, type, nsid: version == .v1_1).answerHeader()
    }

    private static let envelope = KeyEnvelope(kekLabel: "ns:000031:\"quoted\"\\label", aesKey: Array(0..<24))

    static let answers: [BackendAnswer] = [
        .join(JoinAns(
            header: answerHeader(.v1_1, .joinReq), result: .success, phyPayload: Array(0..<33), lifetime: 4_294_967_295,
            nwkSKey: envelope, fNwkSIntKey: envelope, sNwkSIntKey: envelope, nwkSEncKey: envelope,
            appSKey: KeyEnvelope(kekLabel: "", aesKey: Array(0..<16)), sessionKeyID: Array(0..<16))),
        .join(JoinAns(failing: header(.v1_0, .joinReq), BackendResult(.micFailed, "MIC mismatch"))),
        .rejoin(JoinAns(header: answerHeader(.v1_1, .rejoinReq), result: .success, phyPayload: Array(0..<17), lifetime: 0, nwkSKey: envelope)),
        .rejoin(JoinAns(failing: header(.v1_1, .rejoinReq, nsid: true), BackendResult(.joinReqFailed, "ünïcode ✓ and \u{01} control"))),
        .appSKey(AppSKeyAns(
            header: answerHeader(.v1_0, .appSKeyReq), result: .success, devEUI: EUI64(0x8877_12B9_1379_7B9A),
            appSKey: envelope, sessionKeyID: [0xEA, 0x65])),
        .appSKey(AppSKeyAns(failing: header(.v1_0, .appSKeyReq), BackendResult(.unknownDevEUI))),
        .homeNS(HomeNSAns(header: answerHeader(.v1_1, .homeNSReq), result: .success, hNetID: NetID(0x000031), hNSID: nsid)),
        .homeNS(HomeNSAns(failing: header(.v1_0, .homeNSReq), BackendResult(.activationDisallowed, "no home NetID"))),
    ] + BackendResultCode.allCases.map { code in .join(JoinAns(failing: header(.v1_0, .joinReq), BackendResult(code, "because"))) }

    @Test("answer → bytes → answer", arguments: answers)
    func answerRoundTrip(_ answer: BackendAnswer) throws {
        #expect(try BackendAnswer(decoding: answer.encoded()) == answer)
    }

    @Test("a failure answer carries only the header and Result (reference §3.6)")
    func failureAnswerShape() throws {
        let answer = BackendAnswer(failing: Self.header(.v1_0, .joinReq), BackendResult(.micFailed, "MIC mismatch"))
        let text = String(decoding: answer.encoded(), as: UTF8.self)
        #expect(
            text == #"{"ProtocolVersion":"1.0","TransactionID":4294967295,"MessageType":"JoinAns","SenderID":"F93FA7142977F04B","#
                + #""ReceiverID":"000031","Result":{"ResultCode":"MICFailed","Description":"MIC mismatch"}}"#)
    }

    @Test("the enum case, not the inner header, decides the MessageType written")
    func caseDecidesMessageType() throws {
        var request = Self.joinReq
        request.header.messageType = .homeNSReq
        #expect(BackendRequest.rejoin(request).header.messageType == .rejoinReq)
        let decoded = try BackendRequest(decoding: BackendRequest.rejoin(request).encoded())
        #expect(decoded.messageType == .rejoinReq)
        #expect(BackendRequest(request).messageType == .joinReq)
        request.header.messageType = .rejoinReq
        #expect(BackendRequest(request).messageType == .rejoinReq)
    }
}
