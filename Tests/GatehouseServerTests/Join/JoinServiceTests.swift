import BackendInterfaces
import Foundation
import GatehouseServer
import LoRaWAN
import Testing

/// One suite, both `JoinService` implementations (DESIGN.md): what a Network or Application Server sees
/// of the Join Server in process and over the Backend Interfaces must be the same.
@Suite("JoinService, in process and over HTTPS with mutual TLS")
struct JoinServiceTests {
    @Test("a 1.0.3 join: the accept decrypts with AppKey, NwkSKey comes wrapped for the NS, no AppSKey", arguments: JoinTransport.allCases)
    func legacyJoin(_ transport: JoinTransport) async throws {
        try await JoinServiceHarness.run(transport) { harness in
            let answer = try await harness.networkServer.join(JoinRequests.legacy(devNonce: 0x2C5A))
            #expect(answer.result.code == .success, "\(answer.result)")
            #expect(answer.header.messageType == .joinAns)
            #expect(answer.header.transactionID == 7)
            #expect(answer.header.receiverID == "000031")
            let phyPayload = try #require(answer.phyPayload)
            let plaintext = try JoinAcceptCipher.decrypt(phyPayload, key: JoinServiceHarness.legacyAppKey)
            let accept = try JoinAccept(decodingPlaintext: plaintext)
            #expect(accept.mic == JoinMIC.computeLegacyJoinAcceptMIC(key: JoinServiceHarness.legacyAppKey, message: Array(plaintext.dropLast(4))))
            #expect(accept.homeNetID == JoinServiceHarness.netID)
            #expect(accept.devAddr == DevAddr(0x2600_0001))
            #expect(accept.dlSettings.optNeg == false)

            let envelope = try #require(answer.nwkSKey)
            #expect(envelope.kekLabel == "ns:000031")
            let nwkSKey = try envelope.open(as: NwkSKey.self, with: harness.keks)
            let expected = SessionKeyDerivation.deriveLegacySessionKeys(
                appKey: JoinServiceHarness.legacyAppKey, joinNonce: accept.joinNonce, netID: JoinServiceHarness.netID, devNonce: DevNonce(0x2C5A))
            #expect(nwkSKey == expected.nwkSKey)
            #expect(answer.appSKey == nil, "the Network Server never receives the AppSKey")
            #expect(answer.fNwkSIntKey == nil && answer.sNwkSIntKey == nil && answer.nwkSEncKey == nil)

            // The Application Server gets the AppSKey for that session, wrapped under its own KEK.
            let sessionKeyID = try #require(answer.sessionKeyID)
            let appSKeyAnswer = try await harness.applicationServer.appSKey(AppSKeyReq(
                header: BackendHeader(protocolVersion: .v1_0, senderID: "as.example.net", receiverID: JoinServiceHarness.legacyJoinEUI.description,
                    transactionID: 9, messageType: .appSKeyReq),
                devEUI: JoinServiceHarness.legacyDevEUI, sessionKeyID: sessionKeyID))
            #expect(appSKeyAnswer.result.code == .success, "\(appSKeyAnswer.result)")
            let appSKeyEnvelope = try #require(appSKeyAnswer.appSKey)
            #expect(appSKeyEnvelope.kekLabel == "as:as.example.net")
            #expect(try appSKeyEnvelope.open(as: AppSKey.self, with: harness.keks) == expected.appSKey)
        }
    }

    @Test("a 1.0.3 DevNonce is never accepted twice", arguments: JoinTransport.allCases)
    func legacyReplay(_ transport: JoinTransport) async throws {
        try await JoinServiceHarness.run(transport) { harness in
            #expect(try await harness.networkServer.join(JoinRequests.legacy(devNonce: 100)).result.code == .success)
            #expect(try await harness.networkServer.join(JoinRequests.legacy(devNonce: 7)).result.code == .success)
            let replay = try await harness.networkServer.join(JoinRequests.legacy(devNonce: 100))
            #expect(replay.result.code == .joinReqFailed)
            #expect(replay.phyPayload == nil && replay.nwkSKey == nil)
        }
    }

    @Test("a 1.1 DevNonce must grow; JoinNonce grows with every accept; three network keys", arguments: JoinTransport.allCases)
    func modernCounters(_ transport: JoinTransport) async throws {
        try await JoinServiceHarness.run(transport) { harness in
            let first = try await harness.networkServer.join(JoinRequests.modern(devNonce: 12))
            #expect(first.result.code == .success, "\(first.result)")
            #expect(try await harness.networkServer.join(JoinRequests.modern(devNonce: 12)).result.code == .joinReqFailed)
            #expect(try await harness.networkServer.join(JoinRequests.modern(devNonce: 11)).result.code == .joinReqFailed)
            let second = try await harness.networkServer.join(JoinRequests.modern(devNonce: 13))
            #expect(second.result.code == .success)

            var joinNonces: [JoinNonce] = []
            for answer in [first, second] {
                let plaintext = try JoinAcceptCipher.decrypt(try #require(answer.phyPayload), key: JoinServiceHarness.modernNwkKey)
                let accept = try JoinAccept(decodingPlaintext: plaintext)
                #expect(accept.dlSettings.optNeg, "a 1.1 network answers a 1.1 device with OptNeg = 1")
                joinNonces.append(accept.joinNonce)
                #expect(answer.nwkSKey == nil)
                let fNwkSIntKey = try #require(answer.fNwkSIntKey).open(as: FNwkSIntKey.self, with: harness.keks)
                let devNonce = answer == first ? 12 : 13
                let expected = SessionKeyDerivation.deriveSessionKeys(
                    nwkKey: JoinServiceHarness.modernNwkKey, appKey: JoinServiceHarness.modernAppKey, joinNonce: accept.joinNonce,
                    joinEUI: JoinServiceHarness.modernJoinEUI, devNonce: DevNonce(UInt16(devNonce)))
                #expect(fNwkSIntKey == expected.fNwkSIntKey)
                #expect(try #require(answer.nwkSEncKey).open(as: NwkSEncKey.self, with: harness.keks) == expected.nwkSEncKey)
            }
            #expect(joinNonces[0] < joinNonces[1])
        }
    }

    @Test("a rejoin-request type 1 is answered under JSEncKey; its RJcount1 must grow", arguments: JoinTransport.allCases)
    func rejoin(_ transport: JoinTransport) async throws {
        try await JoinServiceHarness.run(transport) { harness in
            let answer = try await harness.networkServer.join(JoinRequests.rejoinType1(rjCount: 3))
            #expect(answer.result.code == .success, "\(answer.result)")
            #expect(answer.header.messageType == .rejoinAns)
            let jsEncKey = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: JoinServiceHarness.modernNwkKey, devEUI: JoinServiceHarness.modernDevEUI).jsEncKey
            let plaintext = try JoinAcceptCipher.decrypt(try #require(answer.phyPayload), key: jsEncKey)
            #expect(try JoinAccept(decodingPlaintext: plaintext).dlSettings.optNeg)
            #expect(try await harness.networkServer.join(JoinRequests.rejoinType1(rjCount: 3)).result.code == .joinReqFailed)
        }
    }

    @Test("refusals: bad MIC, unknown device, wrong sender, the wrong peer asking for an AppSKey", arguments: JoinTransport.allCases)
    func refusals(_ transport: JoinTransport) async throws {
        try await JoinServiceHarness.run(transport) { harness in
            let badMIC = JoinRequests.legacy(devNonce: 1, micKey: try AppKey(parsing: "00112233445566778899aabbccddeeff"))
            #expect(try await harness.networkServer.join(badMIC).result.code == .micFailed)

            var unknown = JoinRequests.legacy(devNonce: 2)
            var frame = try JoinRequest(decoding: unknown.phyPayload)
            frame.devEUI = EUI64(0x0102_0304_0506_0708)
            unknown.phyPayload = frame.encode()
            unknown.devEUI = frame.devEUI
            #expect(try await harness.networkServer.join(unknown).result.code == .unknownDevEUI)

            let impostor = JoinRequests.legacy(devNonce: 3, sender: "000032")
            #expect(try await harness.networkServer.join(impostor).result.code == .unknownSender)

            var truncated = JoinRequests.legacy(devNonce: 4)
            truncated.phyPayload.removeLast()
            #expect(try await harness.networkServer.join(truncated).result.code == .malformedRequest)

            // The refused requests spent no nonce: the same DevNonces still join.
            #expect(try await harness.networkServer.join(JoinRequests.legacy(devNonce: 1)).result.code == .success)

            let joined = try await harness.networkServer.join(JoinRequests.legacy(devNonce: 5))
            let request = AppSKeyReq(
                header: BackendHeader(protocolVersion: .v1_0, senderID: "000031", receiverID: JoinServiceHarness.legacyJoinEUI.description,
                    transactionID: 1, messageType: .appSKeyReq),
                devEUI: JoinServiceHarness.legacyDevEUI, sessionKeyID: try #require(joined.sessionKeyID))
            let asNetworkServer = try await harness.networkServer.appSKey(request)
            #expect(asNetworkServer.result.code == .activationDisallowed, "a Network Server never receives an AppSKey")
            #expect(asNetworkServer.appSKey == nil)

            var wrongSession = request
            wrongSession.header.senderID = "as.example.net"
            wrongSession.sessionKeyID = [UInt8](repeating: 0, count: 16)
            #expect(try await harness.applicationServer.appSKey(wrongSession).result.code == .unknownDevEUI)

            // An Application Server cannot make a join happen (and so never receives network keys).
            var asJoin = JoinRequests.legacy(devNonce: 6)
            asJoin.header.senderID = "as.example.net"
            let refused = try await harness.applicationServer.join(asJoin)
            #expect(refused.result.code == .activationDisallowed)
            #expect(refused.nwkSKey == nil)
        }
    }

    @Test("HomeNSReq answers the device's home NetID", arguments: JoinTransport.allCases)
    func homeNS(_ transport: JoinTransport) async throws {
        try await JoinServiceHarness.run(transport) { harness in
            let answer = try await harness.networkServer.homeNS(HomeNSReq(
                header: BackendHeader(protocolVersion: .v1_0, senderID: "000031", receiverID: JoinServiceHarness.legacyJoinEUI.description,
                    transactionID: 3, messageType: .homeNSReq),
                devEUI: JoinServiceHarness.legacyDevEUI))
            #expect(answer.result.code == .success)
            #expect(answer.hNetID == JoinServiceHarness.netID)
        }
    }
}
