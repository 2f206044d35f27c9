import LoRaWAN
import ReferenceVectors
import Testing

@testable import StationSimulator

@Suite("Virtual device: join")
struct VirtualDeviceJoinTests {
    @Test("a join-request is MHDR | JoinEUI | DevEUI | DevNonce | MIC under the root key, as the published vector")
    func joinRequestMatchesVector() throws {
        // brocaar/lorawan TestPHYPayloadJoinRequest: JoinEUI 0102030401020304, DevEUI 0203040502030405,
        // DevNonce 4141 (0x102D), key 0101...01, MIC 6a990e12.
        let vector = try #require(try VectorFile.load("join_request_mic").vectors.first { $0.id == "brocaar-join-request-read" })
        let key = try vector.hex("key")
        for version in [MACVersion.v1_0_4, .v1_1] {
            var device = try VirtualDevice(
                devEUI: EUI64(0x0203_0405_0203_0405), joinEUI: EUI64(0x0102_0304_0102_0304), macVersion: version,
                appKey: try #require(AppKey(bytes: key)), nwkKey: version == .v1_1 ? NwkKey(bytes: key) : nil, nextDevNonce: 4141)
            let request = try device.makeJoinRequest()
            #expect(request.phyPayload.hex == (try vector.hex("msg") + vector.expectedHex("mic")).hex, "\(version)")
            #expect(request.fCnt == nil)
            #expect(device.pendingDevNonce == DevNonce(4141))
        }
    }

    @Test("a 1.0.x join-request is signed with AppKey and a 1.1 one with NwkKey")
    func joinRequestKeys() throws {
        var legacy = try NetworkSide.device(.v1_0_3)
        let legacyFrame = try legacy.makeJoinRequest().phyPayload
        #expect(MIC(bytes: legacyFrame.suffix(4)) == JoinMIC.computeLegacyJoinRequestMIC(appKey: NetworkSide.appKey, message: Array(legacyFrame.prefix(19))))
        var current = try NetworkSide.device(.v1_1)
        let currentFrame = try current.makeJoinRequest().phyPayload
        #expect(MIC(bytes: currentFrame.suffix(4)) == JoinMIC.computeJoinRequestMIC(nwkKey: NetworkSide.nwkKey, message: Array(currentFrame.prefix(19))))
        #expect(try JoinRequest(decoding: currentFrame).devEUI == current.devEUI)
    }

    @Test("1.0.4 and 1.1 DevNonces count up from the stored value and run out at 65535")
    func countingDevNonce() throws {
        for version in [MACVersion.v1_0_4, .v1_1] {
            var device = try NetworkSide.device(version, nextDevNonce: 65_533)
            var nonces: [UInt16] = []
            for _ in 0..<3 {
                nonces.append(try JoinRequest(decoding: device.makeJoinRequest().phyPayload).devNonce.rawValue)
            }
            #expect(nonces == [65_533, 65_534, 65_535])
            #expect(throws: VirtualDeviceError.devNoncesExhausted(devEUI: device.devEUI)) { try device.makeJoinRequest() }
        }
    }

    @Test("a 1.0.2 or 1.0.3 device draws random DevNonces and never repeats one")
    func randomDevNonce() throws {
        for version in [MACVersion.v1_0_2, .v1_0_3] {
            var device = try NetworkSide.device(version, seed: 42)
            var seen: Set<UInt16> = []
            for _ in 0..<5_000 {
                let nonce = try JoinRequest(decoding: device.makeJoinRequest().phyPayload).devNonce.rawValue
                #expect(seen.insert(nonce).inserted)
            }
            // Not a counter: the first values are not 0, 1, 2...
            #expect(seen.count == 5_000 && !seen.isSuperset(of: (0..<16).map { UInt16($0) }))
        }
    }

    @Test("a 1.0 device decrypts the published join-accept and reads its fields")
    func legacyAcceptVector() throws {
        let vector = try #require(try VectorFile.load("join_accept").vectors.first { $0.id == "brocaar-join-accept-decrypt" })
        var device = try VirtualDevice(
            devEUI: EUI64(1), joinEUI: EUI64(2), macVersion: .v1_0_3, appKey: try #require(AppKey(bytes: try vector.hex("enc_key"))))
        _ = try device.makeJoinRequest()
        let result = try device.acceptJoin(try vector.expectedHex("phy_payload"))
        #expect(result.joinNonce == JoinNonce(5_704_647))
        #expect(result.netID == NetID(0x221101))
        #expect(result.devAddr == DevAddr(0x0203_1980))
        #expect(!result.optNeg && !result.isLoRaWAN11Session)
        #expect(device.isJoined && device.pendingDevNonce == nil)
    }

    @Test("1.0 session keys are the published NwkSKey and AppSKey for the accepted JoinNonce, NetID and DevNonce")
    func legacySessionKeys() throws {
        // TTN TestKeyDerivation: JoinNonce 11418396, NetID 020101, DevNonce 29545.
        let vector = try #require(try VectorFile.load("session_keys_10").vectors.first { $0.id == "ttn-legacy" })
        let appKey = try #require(AppKey(bytes: try vector.hex("app_key")))
        var device = try VirtualDevice(devEUI: EUI64(9), joinEUI: EUI64(8), macVersion: .v1_0_4, appKey: appKey, nextDevNonce: 29_545)
        _ = try device.makeJoinRequest()
        var accept = JoinAccept(
            joinNonce: try #require(JoinNonce(11_418_396)), homeNetID: try NetID(parsing: "020101"), devAddr: DevAddr(0x2601_1234),
            dlSettings: DLSettings(byte: 0), rxDelay: 1)
        accept.mic = JoinMIC.computeLegacyJoinAcceptMIC(key: appKey, message: accept.encodedWithoutMIC)
        _ = try device.acceptJoin(try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: appKey))
        let session = try #require(device.session)
        #expect(session.networkKeys == .legacy(nwkSKey: try #require(NwkSKey(bytes: try vector.expectedHex("nwk_s_key")))))
        #expect(session.appSKey == AppSKey(bytes: try vector.expectedHex("app_s_key")))
    }

    @Test("a 1.1 device with OptNeg checks the JSIntKey MIC over its DevNonce and derives the published 1.1 keys")
    func currentSessionKeys() throws {
        // ChirpStack lorawan_1_1: NwkKey 0102...08, AppKey 0, JoinNonce 65536, JoinEUI 0807060504030201, DevNonce 258.
        let vector = try #require(try VectorFile.load("session_keys_11").vectors.first { $0.id == "chirpstack-lorawan_1_1" })
        let nwkKey = try #require(NwkKey(bytes: try vector.hex("nwk_key")))
        let joinEUI = EUI64(bigEndianBytes: try vector.hex("join_eui"))
        let devEUI = EUI64(0x0102_0304_0506_0708)
        var device = try VirtualDevice(
            devEUI: devEUI, joinEUI: joinEUI, macVersion: .v1_1, appKey: try #require(AppKey(bytes: try vector.hex("app_key"))),
            nwkKey: nwkKey, nextDevNonce: 258)
        _ = try device.makeJoinRequest()
        var accept = JoinAccept(
            joinNonce: try #require(JoinNonce(65_536)), homeNetID: NetID(0x000013)!, devAddr: DevAddr(0x2600_0042),
            dlSettings: DLSettings(byte: 0x80), rxDelay: 1)
        accept.mic = JoinMIC.computeJoinAcceptMIC(
            jsIntKey: SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: devEUI).jsIntKey, joinReqType: .joinRequest,
            joinEUI: joinEUI, devNonce: 258, message: accept.encodedWithoutMIC)
        let result = try device.acceptJoin(try JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: nwkKey))
        #expect(result.optNeg && result.isLoRaWAN11Session)
        let session = try #require(device.session)
        guard case .current(let f, let s, let e, let variant) = session.networkKeys else {
            Issue.record("expected 1.1 network keys")
            return
        }
        #expect(f.exportHex() == (try vector.expectedHex("f_nwk_s_int_key")).hex)
        #expect(s.exportHex() == (try vector.expectedHex("s_nwk_s_int_key")).hex)
        #expect(e.exportHex() == (try vector.expectedHex("nwk_s_enc_key")).hex)
        #expect(session.appSKey.exportHex() == (try vector.expectedHex("app_s_key")).hex)
        #expect(variant == .errata)
        #expect(session.awaitsRekeyConf)
    }

    @Test("a 1.1 device answered with OptNeg = 0 verifies the 1.0 MIC under NwkKey and runs a 1.0 session")
    func optNegZero() throws {
        var device = try NetworkSide.device(.v1_1)
        _ = try device.makeJoinRequest()
        let devNonce = try #require(device.pendingDevNonce)
        let result = try device.acceptJoin(try NetworkSide.joinAccept(for: device, devNonce: devNonce, joinNonce: 3, optNeg: false))
        #expect(!result.optNeg && !result.isLoRaWAN11Session)
        let expected = SessionKeyDerivation.deriveSessionKeysForOptNegZero(
            nwkKey: NetworkSide.nwkKey, joinNonce: JoinNonce(3)!, netID: NetworkSide.netID, devNonce: devNonce)
        #expect(device.session?.networkKeys == .legacy(nwkSKey: expected.optNegZeroNwkSKey))
        #expect(device.session?.appSKey == expected.appSKey)
        #expect(device.session?.awaitsRekeyConf == false)
    }

    @Test("a join-accept signed with another key is refused and the join stays pending")
    func forgedAccept() throws {
        for version in [MACVersion.v1_0_2, .v1_0_4, .v1_1] {
            var device = try NetworkSide.device(version)
            _ = try device.makeJoinRequest()
            let devNonce = try #require(device.pendingDevNonce)
            let forger = try #require(AppKey(bytes: [UInt8](repeating: 0x42, count: 16)))
            let forged = try NetworkSide.joinAccept(for: device, devNonce: devNonce, signingKey: forger)
            #expect(throws: VirtualDeviceError.joinAcceptMICMismatch(devEUI: device.devEUI)) { try device.acceptJoin(forged) }
            #expect(device.pendingDevNonce == devNonce && !device.isJoined, "\(version)")
            // The genuine accept still works afterwards.
            _ = try device.acceptJoin(try NetworkSide.joinAccept(for: device, devNonce: devNonce))
            #expect(device.isJoined)
        }
    }

    @Test("a join-accept is accepted only for the pending join-request: never without one, never twice")
    func acceptOnlyWhenPending() throws {
        var device = try NetworkSide.device(.v1_0_3)
        let unsolicited = try NetworkSide.joinAccept(for: device, devNonce: DevNonce(1))
        #expect(throws: VirtualDeviceError.noPendingJoin(devEUI: device.devEUI)) { try device.acceptJoin(unsolicited) }
        _ = try device.makeJoinRequest()
        let accept = try NetworkSide.joinAccept(for: device, devNonce: try #require(device.pendingDevNonce))
        _ = try device.acceptJoin(accept)
        #expect(throws: VirtualDeviceError.noPendingJoin(devEUI: device.devEUI)) { try device.acceptJoin(accept) }
        // An abandoned join listens no more.
        _ = try device.makeJoinRequest()
        device.abandonJoin()
        #expect(throws: VirtualDeviceError.noPendingJoin(devEUI: device.devEUI)) { try device.acceptJoin(accept) }
    }

    @Test("a 1.1 join-accept for an earlier DevNonce fails its MIC")
    func acceptForEarlierDevNonce() throws {
        var device = try NetworkSide.device(.v1_1)
        _ = try device.makeJoinRequest()
        let first = try #require(device.pendingDevNonce)
        _ = try device.makeJoinRequest()
        let stale = try NetworkSide.joinAccept(for: device, devNonce: first)
        #expect(throws: VirtualDeviceError.joinAcceptMICMismatch(devEUI: device.devEUI)) { try device.acceptJoin(stale) }
    }

    @Test("a 1.1 device refuses a JoinNonce that does not grow, a 1.0 device does not check it")
    func joinNonceMustGrow() throws {
        var device = try NetworkSide.device(.v1_1)
        _ = try device.makeJoinRequest()
        _ = try device.acceptJoin(try NetworkSide.joinAccept(for: device, devNonce: try #require(device.pendingDevNonce), joinNonce: 5))
        _ = try device.makeJoinRequest()
        let replayedNonce = try NetworkSide.joinAccept(for: device, devNonce: try #require(device.pendingDevNonce), joinNonce: 5)
        #expect(throws: VirtualDeviceError.joinNonceNotIncreasing(devEUI: device.devEUI, received: JoinNonce(5)!, last: JoinNonce(5)!)) {
            try device.acceptJoin(replayedNonce)
        }
        _ = try device.acceptJoin(try NetworkSide.joinAccept(for: device, devNonce: try #require(device.pendingDevNonce), joinNonce: 6))
        #expect(device.session?.joinNonce == JoinNonce(6))

        var legacy = try NetworkSide.device(.v1_0_3)
        for _ in 0..<2 {
            _ = try legacy.makeJoinRequest()
            _ = try legacy.acceptJoin(try NetworkSide.joinAccept(for: legacy, devNonce: try #require(legacy.pendingDevNonce), joinNonce: 5))
        }
    }

    @Test("an EU868 CFList adds channels 3-7, which later uplinks use")
    func cfListChannels() throws {
        var device = try NetworkSide.device(.v1_0_3)
        _ = try device.makeJoinRequest()
        let frequencies = [867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000].map { Frequency(hertz: UInt32($0)) }
        let cfList = try CFList(bytes: RegionalParameters.eu868.cfList(frequencies: frequencies).bytes)
        let result = try device.acceptJoin(try NetworkSide.joinAccept(for: device, devNonce: try #require(device.pendingDevNonce), cfList: cfList))
        #expect(result.channelCount == 8)
        var used: Set<Int> = []
        for _ in 0..<8 { used.insert(try device.makeUplink(fPort: 1, payload: [1]).channelIndex) }
        #expect(used == Set(0..<8))
    }

    @Test("a 1.1 device needs an NwkKey and a 1.0 device refuses one")
    func rootKeyRules() {
        #expect(throws: VirtualDeviceError.missingNwkKey(devEUI: EUI64(1))) {
            try VirtualDevice(devEUI: EUI64(1), joinEUI: EUI64(2), macVersion: .v1_1, appKey: NetworkSide.appKey)
        }
        #expect(throws: VirtualDeviceError.unexpectedNwkKey(devEUI: EUI64(1), macVersion: .v1_0_3)) {
            try VirtualDevice(devEUI: EUI64(1), joinEUI: EUI64(2), macVersion: .v1_0_3, appKey: NetworkSide.appKey, nwkKey: NetworkSide.nwkKey)
        }
    }

    @Test("no key appears in the description of a device, its session, its keys or its errors")
    func noKeyInDescriptions() throws {
        var device = try NetworkSide.joined(.v1_1)
        _ = try device.makeUplink(fPort: 1, payload: [1, 2, 3])
        let session = try #require(device.session)
        var secrets = [NetworkSide.appKey.exportHex(), NetworkSide.nwkKey.exportHex(), session.appSKey.exportHex()]
        if case .current(let f, let s, let e, _) = session.networkKeys { secrets += [f.exportHex(), s.exportHex(), e.exportHex()] }
        let texts = [
            device.description, String(describing: device), String(reflecting: device), session.description, String(reflecting: session),
            device.rootKeys.description, "\(VirtualDeviceError.joinAcceptMICMismatch(devEUI: device.devEUI))",
        ]
        for text in texts {
            for secret in secrets {
                #expect(!text.lowercased().contains(secret), "a key leaks into: \(text.prefix(80))")
            }
        }
    }
}
