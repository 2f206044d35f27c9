import BackendInterfaces
import Foundation
@testable import JoinServer
import LoRaWAN
import Testing

/// The worked examples of reference/backend-interfaces.md §6, checked there against an independent
/// AES/CMAC/RFC 3394 implementation: the Join Server's pure join procedure must produce them byte for byte.
@Suite("Join procedure against the Backend Interfaces worked examples")
struct JoinAcceptanceVectorTests {
    static func header(_ version: BackendProtocolVersion, sender: String, receiver: String, nsID: EUI64? = nil) -> BackendHeader {
        BackendHeader(protocolVersion: version, senderID: sender, receiverID: receiver, transactionID: 0, messageType: .joinReq, senderNSID: nsID)
    }

    static func device(_ devEUI: String, _ joinEUI: String, _ version: MACVersion, _ keys: RootKeys) throws -> JoinDevice {
        JoinDevice(
            devEUI: try EUI64(parsing: devEUI), joinEUI: try EUI64(parsing: joinEUI), macVersion: version, rootKeys: keys, owner: "test",
            createdAt: Date(timeIntervalSince1970: 0))
    }

    @Test("§6.1: a LoRaWAN 1.0.3 join answers the published join-accept and NwkSKey envelope")
    func legacyJoin() throws {
        let request = JoinReq(
            header: Self.header(.v1_0, sender: "000031", receiver: "9f4b5bb0a4148aed"), macVersion: .v1_0_3,
            phyPayload: Hex.decode("00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc")!, devEUI: try EUI64(parsing: "0e6d1128609d82be"),
            devAddr: try DevAddr(parsing: "62404a3e"), dlSettings: DLSettings(byte: 0x03), rxDelay: 1,
            cfList: try CFList(bytes: Hex.decode("184f84e85684b85e84886684586e8400")!))
        let device = try Self.device("0e6d1128609d82be", "9f4b5bb0a4148aed", .v1_0_3, .legacy(appKey: try AppKey(parsing: "030af76db4a9d1de4772a5955ba7f65a")))
        let parsed = try JoinRequestEvaluation.parse(request, from: .networkServer(try NetID(parsing: "000031")))
        let plan = try JoinRequestEvaluation.plan(parsed, device: device, rootKeys: device.rootKeys)
        #expect(plan.nonce == .devNonce(DevNonce(0x2C5A), .neverReused))
        #expect(plan.derivation == .legacy)

        let built = try JoinAcceptance.build(plan, joinNonce: JoinNonce(0xCEC832)!)
        #expect(Hex.encode(built.phyPayload) == "20db1b4252bc5d64c40dc177bc347d6ea0fa93fccbb75dca91160fdc0eccd24cc4")
        guard case .legacy(let nwkSKey, let appSKey) = built.keys else {
            Issue.record("a 1.0 session has one network key")
            return
        }
        #expect(nwkSKey.exportHex() == "f521013f3c6b29024a840bc38634c622")
        #expect(appSKey.exportHex() == "a1a23cd78fba967c0d371ef14b0f60ed")
        let kek = try #require(LabeledKEK(label: "ns:000031", bytes: Hex.decode("849022fdbd85f95abb14b8522e55ac4d")!))
        #expect(Hex.encode(KeyEnvelope(wrapping: nwkSKey, under: kek).aesKey, uppercase: true) == "8015BA6E1C5B878306FBAF6B91C757F3A7AECF7D9D4A8744")
    }

    @Test("§6.2: a LoRaWAN 1.1 join (OptNeg = 1) answers the published join-accept and wrapped keys")
    func separateKeysJoin() throws {
        let request = JoinReq(
            header: Self.header(.v1_1, sender: "000031", receiver: "F93FA7142977F04B", nsID: try EUI64(parsing: "095B25BD4633EB9F")),
            macVersion: .v1_1, phyPayload: Hex.decode("004BF0772914A73FF99A7B7913B91277880C00DCC39B90")!,
            devEUI: try EUI64(parsing: "887712B913797B9A"), devAddr: try DevAddr(parsing: "632AA91F"), dlSettings: DLSettings(byte: 0x83),
            rxDelay: 5, cfList: try CFList(bytes: Hex.decode("184F84E85684B85E84886684586E8400")!))
        let keys = RootKeys.separate(
            nwkKey: try NwkKey(parsing: "4db60d675f3c1f10ee145421915f62ee"), appKey: try AppKey(parsing: "6c75c0f2acedf872b54d4b36fd0badf6"))
        let device = try Self.device("887712B913797B9A", "F93FA7142977F04B", .v1_1, keys)
        let parsed = try JoinRequestEvaluation.parse(request, from: .networkServer(try NetID(parsing: "000031")))
        let plan = try JoinRequestEvaluation.plan(parsed, device: device, rootKeys: keys)
        #expect(plan.nonce == .devNonce(DevNonce(12), .increasing))
        #expect(plan.derivation == .optNegOne)

        let built = try JoinAcceptance.build(plan, joinNonce: JoinNonce(7)!)
        #expect(Hex.encode(built.phyPayload, uppercase: true) == "201106B3CB2A832455BB0A97224F2B38BD75A849045572C99D09F42F73E8170F55")
        guard case .separate(let sessionKeys) = built.keys else {
            Issue.record("a 1.1 session has three network keys")
            return
        }
        let nsKEK = try #require(LabeledKEK(label: "ns:000031:ns.example.net", bytes: Hex.decode("bd9cd8d582795d482db74eeedd812d0a")!))
        let asKEK = try #require(LabeledKEK(label: "as:as.example.net", bytes: Hex.decode("114e3074db2221a00ba48609e7989c5b")!))
        #expect(Hex.encode(KeyEnvelope(wrapping: sessionKeys.fNwkSIntKey, under: nsKEK).aesKey, uppercase: true) == "6BB185DF04893AA39543EA6F621A39A55492E72BB57B52D6")
        #expect(Hex.encode(KeyEnvelope(wrapping: sessionKeys.sNwkSIntKey, under: nsKEK).aesKey, uppercase: true) == "4BD85EE4788D8B25696667F03C5A58C06D1FAE83A1204524")
        #expect(Hex.encode(KeyEnvelope(wrapping: sessionKeys.nwkSEncKey, under: nsKEK).aesKey, uppercase: true) == "1A1639475A860F7E3BC4B47C4CC9D45D965F9E342C2F9D9A")
        #expect(Hex.encode(KeyEnvelope(wrapping: sessionKeys.appSKey, under: asKEK).aesKey, uppercase: true) == "716B4E73DB854436885397313E78F4F4327884C60D13D828")

        // The AppSKey an AppSKeyReq recomputes from the stored session parameters is the same key.
        let recomputed = try #require(DerivedSessionKeys.derive(plan.sessionParameters, joinNonce: JoinNonce(7)!, rootKeys: keys))
        #expect(recomputed.appSKey == sessionKeys.appSKey)
    }

    @Test("a 1.1 device on a network that asks for 1.0.3 is answered with OptNeg = 0 and one NwkSKey under NwkKey")
    func optNegZero() throws {
        let nwkKey = try NwkKey(parsing: "4db60d675f3c1f10ee145421915f62ee")
        let keys = RootKeys.separate(nwkKey: nwkKey, appKey: try AppKey(parsing: "6c75c0f2acedf872b54d4b36fd0badf6"))
        let device = try Self.device("887712B913797B9A", "F93FA7142977F04B", .v1_1, keys)
        let request = JoinReq(
            header: Self.header(.v1_0, sender: "000031", receiver: "F93FA7142977F04B"), macVersion: .v1_0_3,
            phyPayload: Hex.decode("004BF0772914A73FF99A7B7913B91277880C00DCC39B90")!,
            devEUI: device.devEUI, devAddr: try DevAddr(parsing: "632AA91F"), dlSettings: DLSettings(byte: 0x83), rxDelay: 5)
        let parsed = try JoinRequestEvaluation.parse(request, from: .networkServer(try NetID(parsing: "000031")))
        let plan = try JoinRequestEvaluation.plan(parsed, device: device, rootKeys: keys)
        #expect(plan.derivation == .optNegZero)
        #expect(plan.dlSettings.optNeg == false)
        let built = try JoinAcceptance.build(plan, joinNonce: JoinNonce(8)!)
        // The device decrypts with NwkKey and checks the 1.0 MIC under NwkKey.
        let plaintext = try JoinAcceptCipher.decrypt(built.phyPayload, key: nwkKey)
        let accept = try JoinAccept(decodingPlaintext: plaintext)
        #expect(accept.dlSettings.optNeg == false)
        #expect(accept.mic == JoinMIC.computeLegacyJoinAcceptMIC(key: nwkKey, message: Array(plaintext.dropLast(4))))
        guard case .legacy(let nwkSKey, _) = built.keys else {
            Issue.record("OptNeg = 0 answers one NwkSKey")
            return
        }
        let expected = SessionKeyDerivation.deriveSessionKeysForOptNegZero(
            nwkKey: nwkKey, joinNonce: JoinNonce(8)!, netID: try NetID(parsing: "000031"), devNonce: DevNonce(12))
        #expect(nwkSKey == expected.optNegZeroNwkSKey)
    }

    @Test("refusals carry the Backend Interfaces result code", arguments: [
        ("a wrong MIC", "00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdd", "000031", BackendResultCode.micFailed),
        ("a PHYPayload of the wrong length", "00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08b", "000031", .malformedRequest),
        ("a SenderID that is not the certificate's NetID", "00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc", "000032", .unknownSender),
    ])
    func refusals(_ situation: String, _ phyPayload: String, _ sender: String, _ expected: BackendResultCode) throws {
        let request = JoinReq(
            header: Self.header(.v1_0, sender: sender, receiver: "9f4b5bb0a4148aed"), macVersion: .v1_0_3,
            phyPayload: Hex.decode(phyPayload)!, devEUI: try EUI64(parsing: "0e6d1128609d82be"),
            devAddr: try DevAddr(parsing: "62404a3e"), dlSettings: DLSettings(byte: 0x03), rxDelay: 1)
        let device = try Self.device("0e6d1128609d82be", "9f4b5bb0a4148aed", .v1_0_3, .legacy(appKey: try AppKey(parsing: "030af76db4a9d1de4772a5955ba7f65a")))
        let outcome = Result { () throws(JoinRefusal) -> JoinPlan in
            let parsed = try JoinRequestEvaluation.parse(request, from: .networkServer(try! NetID(parsing: "000031")))
            return try JoinRequestEvaluation.plan(parsed, device: device, rootKeys: device.rootKeys)
        }
        guard case .failure(let refusal) = outcome else {
            Issue.record("\(situation) was accepted")
            return
        }
        #expect(refusal.result.code == expected, "\(situation)")
    }

    @Test("an Application Server may not send a JoinReq, and a transferred device does not join")
    func authorisation() throws {
        let request = JoinReq(
            header: Self.header(.v1_0, sender: "000031", receiver: "9f4b5bb0a4148aed"), macVersion: .v1_0_3,
            phyPayload: Hex.decode("00ed8a14a4b05b4b9fbe829d6028116d0e5a2c62b08bdc")!, devEUI: try EUI64(parsing: "0e6d1128609d82be"),
            devAddr: try DevAddr(parsing: "62404a3e"), dlSettings: DLSettings(byte: 0x03), rxDelay: 1)
        #expect(throws: JoinRefusal.self) {
            _ = try JoinRequestEvaluation.parse(request, from: .applicationServer(ApplicationServerID("as.example.net")!))
        }
        var device = try Self.device("0e6d1128609d82be", "9f4b5bb0a4148aed", .v1_0_3, .legacy(appKey: try AppKey(parsing: "030af76db4a9d1de4772a5955ba7f65a")))
        device.transferredAt = Date(timeIntervalSince1970: 1)
        let parsed = try JoinRequestEvaluation.parse(request, from: .networkServer(try NetID(parsing: "000031")))
        do {
            _ = try JoinRequestEvaluation.plan(parsed, device: device, rootKeys: device.rootKeys)
            Issue.record("a transferred device joined")
        } catch {
            #expect(error.result.code == .joinReqFailed)
        }
        device.transferredAt = nil
        device.homeNetID = try NetID(parsing: "000099")
        do {
            _ = try JoinRequestEvaluation.plan(parsed, device: device, rootKeys: device.rootKeys)
            Issue.record("another network's device joined")
        } catch {
            #expect(error.result.code == .activationDisallowed)
        }
    }
}
