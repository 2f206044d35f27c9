import BackendInterfaces
import Foundation
import LoRaWAN
import Testing

/// Reference §6: the two worked examples, decoded field by field and re-encoded from typed values.
@Suite("Backend Interfaces worked examples (reference §6)")
struct WorkedExampleTests {
    private func hex(_ text: String) -> [UInt8] { Hex.decode(text) ?? [] }

    @Test("the member-by-member bodies used elsewhere are the examples")
    func bodiesMatchExamples() {
        #expect(JSONComparison.equal(JSONBody.joinReq10.bytes, WorkedExamples.bytes(WorkedExamples.joinReq10)))
        #expect(JSONComparison.equal(JSONBody.joinReq11.bytes, WorkedExamples.bytes(WorkedExamples.joinReq11)))
    }

    @Test("§6.1: a ChirpStack-style BI 1.0 JoinReq decodes field by field")
    func decodesJoinReq10() throws {
        let request = try BackendRequest(decoding: WorkedExamples.bytes(WorkedExamples.joinReq10))
        guard case .join(let joinReq) = request else {
            Issue.record("decoded as \(request.messageType)")
            return
        }
        #expect(joinReq.header.protocolVersion == .v1_0)
        #expect(joinReq.header.senderID == "000031")
        #expect(joinReq.header.receiverID == "9f4b5bb0a4148aed")
        #expect(joinReq.header.transactionID == 3_555_441_365)
        #expect(joinReq.header.messageType == .joinReq)
        #expect(joinReq.header.senderNSID == nil)
        #expect(joinReq.header.receiverNSID == nil)
        #expect(joinReq.macVersion == .v1_0_3)
        #expect(joinReq.phyPayload == hex("00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc"))
        #expect(joinReq.devEUI == EUI64(0x0E6D_1128_609D_82BE))
        #expect(joinReq.devAddr == DevAddr(0x6240_4A3E))
        #expect(joinReq.dlSettings == DLSettings(byte: 0x03))
        #expect(joinReq.dlSettings.optNeg == false)
        #expect(joinReq.rxDelay == 1)
        #expect(joinReq.cfList?.bytes == hex("184f84e85684b85e84886684586e8400"))
    }

    @Test("§6.2: a The Things Stack-style BI 1.1 JoinReq decodes field by field")
    func decodesJoinReq11() throws {
        let request = try BackendRequest(decoding: WorkedExamples.bytes(WorkedExamples.joinReq11))
        guard case .join(let joinReq) = request else {
            Issue.record("decoded as \(request.messageType)")
            return
        }
        #expect(joinReq.header.protocolVersion == .v1_1)
        #expect(joinReq.header.senderID == "000031")
        #expect(joinReq.header.receiverID == "F93FA7142977F04B")
        #expect(joinReq.header.transactionID == 0)
        #expect(joinReq.header.messageType == .joinReq)
        #expect(joinReq.header.senderNSID == EUI64(0x095B_25BD_4633_EB9F))
        #expect(joinReq.header.receiverNSID == nil)
        #expect(joinReq.macVersion == .v1_1)
        #expect(joinReq.phyPayload == hex("004BF0772914A73FF99A7B7913B91277880C00DCC39B90"))
        #expect(joinReq.devEUI == EUI64(0x8877_12B9_1379_7B9A))
        #expect(joinReq.devAddr == DevAddr(0x632A_A91F))
        #expect(joinReq.dlSettings.optNeg)
        #expect(joinReq.dlSettings.byte == 0x83)
        #expect(joinReq.rxDelay == 5)
        #expect(joinReq.cfList?.bytes == hex("184F84E85684B85E84886684586E8400"))
    }

    /// The §6.1 answer, built from typed keys: the NwkSKey wrapped under the NS KEK, AppSKey in clear.
    private func joinAns10() throws -> JoinAns {
        let kek = try #require(LabeledKEK(label: "ns:000031", bytes: hex("849022fdbd85f95abb14b8522e55ac4d")))
        let nwkSKey = try #require(NwkSKey(bytes: hex("f521013f3c6b29024a840bc38634c622")))
        let appSKey = try #require(AppSKey(bytes: hex("a1a23cd78fba967c0d371ef14b0f60ed")))
        return JoinAns(
            header: BackendHeader(
                protocolVersion: .v1_0, senderID: "9F4B5BB0A4148AED", receiverID: "000031", transactionID: 3_555_441_365,
                messageType: .joinAns),
            result: .success, phyPayload: hex("20DB1B4252BC5D64C40DC177BC347D6EA0FA93FCCBB75DCA91160FDC0ECCD24CC4"), lifetime: 0,
            nwkSKey: KeyEnvelope(wrapping: nwkSKey, under: kek), appSKey: KeyEnvelope(plain: appSKey))
    }

    /// The §6.2 answer: three network keys under the NS KEK, AppSKey under the AS KEK, a SessionKeyID.
    private func joinAns11() throws -> JoinAns {
        let nsKEK = try #require(LabeledKEK(label: "ns:000031:ns.example.net", bytes: hex("bd9cd8d582795d482db74eeedd812d0a")))
        let asKEK = try #require(LabeledKEK(label: "as:as.example.net", bytes: hex("114e3074db2221a00ba48609e7989c5b")))
        let request = try BackendRequest(decoding: WorkedExamples.bytes(WorkedExamples.joinReq11))
        return JoinAns(
            header: request.header.answerHeader(), result: .success,
            phyPayload: hex("201106B3CB2A832455BB0A97224F2B38BD75A849045572C99D09F42F73E8170F55"), lifetime: 0,
            fNwkSIntKey: KeyEnvelope(wrapping: try #require(FNwkSIntKey(bytes: hex("11eefd9de67ed154393c5528c572d456"))), under: nsKEK),
            sNwkSIntKey: KeyEnvelope(wrapping: try #require(SNwkSIntKey(bytes: hex("47a0abf1c81fb785cd6ae6249268fb12"))), under: nsKEK),
            nwkSEncKey: KeyEnvelope(wrapping: try #require(NwkSEncKey(bytes: hex("007215468857fca331f60498c32e8df6"))), under: nsKEK),
            appSKey: KeyEnvelope(wrapping: try #require(AppSKey(bytes: hex("4660aa5eadc2f0aac6b7e9590bae7f63"))), under: asKEK),
            sessionKeyID: hex("EA658AC795B1DFFEB5E71355E27075FD"))
    }

    @Test("§6.1: the JoinAns built from typed values encodes to the example")
    func encodesJoinAns10() throws {
        let encoded = BackendAnswer(try joinAns10()).encoded()
        #expect(JSONComparison.equal(encoded, WorkedExamples.bytes(WorkedExamples.joinAns10)), "\(String(decoding: encoded, as: UTF8.self))")
    }

    @Test("§6.2: the JoinAns built from typed values encodes to the example, member for member in order")
    func encodesJoinAns11() throws {
        let encoded = String(decoding: BackendAnswer(try joinAns11()).encoded(), as: UTF8.self)
        #expect(encoded == WorkedExamples.compact(WorkedExamples.joinAns11))
        #expect(JSONComparison.equal(Array(encoded.utf8), WorkedExamples.bytes(WorkedExamples.joinAns11)))
    }

    @Test("§6.1 and §6.2: the example answers decode to the typed answers they were built from")
    func decodesExampleAnswers() throws {
        #expect(try BackendAnswer(decoding: WorkedExamples.bytes(WorkedExamples.joinAns10)) == .join(try joinAns10()))
        #expect(try BackendAnswer(decoding: WorkedExamples.bytes(WorkedExamples.joinAns11)) == .join(try joinAns11()))
    }

    @Test("§6.2: the JoinReq re-encodes to the example in The Things Stack's member order")
    func encodesJoinReq11() throws {
        let request = try BackendRequest(decoding: WorkedExamples.bytes(WorkedExamples.joinReq11))
        #expect(String(decoding: request.encoded(), as: UTF8.self) == WorkedExamples.compact(WorkedExamples.joinReq11))
    }

    @Test("§6.1: the JoinReq re-encodes to the same JSON value, hex in upper case")
    func encodesJoinReq10() throws {
        let encoded = try BackendRequest(decoding: WorkedExamples.bytes(WorkedExamples.joinReq10)).encoded()
        let expected = WorkedExamples.joinReq10.uppercasingHexFields
        let text = String(decoding: encoded, as: UTF8.self)
        #expect(text.contains(#""DevEUI":"0E6D1128609D82BE""#))
        #expect(text.contains(#""SenderID":"000031""#))
        // IDs are echoed as spelled; byte fields come out upper case.
        #expect(JSONComparison.equal(encoded, WorkedExamples.bytes(expected)))
    }
}

extension String {
    /// The §6.1 request as this codec writes it: byte fields upper case, IDs untouched.
    fileprivate var uppercasingHexFields: String {
        var text = self
        for field in ["00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc", "0e6d1128609d82be", "62404a3e", "184f84e85684b85e84886684586e8400"] {
            text = text.replacingOccurrences(of: field, with: field.uppercased())
        }
        return text
    }
}
