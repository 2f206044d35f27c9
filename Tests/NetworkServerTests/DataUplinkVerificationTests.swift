import ReferenceVectors
import LoRaWAN
import NetworkServer
import Testing

@Suite("Data uplink verification")
struct DataUplinkVerificationTests {
    /// A session holding a vector's keys, whose channels and counters make the vector's TxCh, TxDr,
    /// ConfFCnt and FCnt come out of the uplink's radio metadata and the session's state.
    static func session(for vector: VectorFile.Vector) throws -> NetworkSession {
        let keys: NetworkSessionKeys
        if try vector.string("version") == "1.0" {
            keys = .legacy(nwkSKey: try vector.key("nwk_s_key"))
        } else {
            let nwkSEncKey: NwkSEncKey = vector.has("nwk_s_enc_key") ? try vector.key("nwk_s_enc_key") : Fixture.key(filledWith: 0)
            keys = .current(fNwkSIntKey: try vector.key("f_nwk_s_int_key"), sNwkSIntKey: try vector.key("s_nwk_s_int_key"),
                            nwkSEncKey: nwkSEncKey, fOptsVariant: .errata)
        }
        let fCnt = UInt32(try vector.int("fcnt"))
        var session = try Fixture.session(keys: keys, devAddr: try vector.devAddr(), fCntUp: fCnt == 0 ? nil : fCnt - 1,
                                          macSettings: try Fixture.eu868WithCFList())
        if let confFCnt = try vector.optionalInt("conf_fcnt") { session.lastConfirmedDownlinkFCnt = UInt32(confFCnt) }
        return session
    }

    /// The data rate and channel frequency the vector's TxDr and TxCh stand for in EU868 with a CFList.
    static func radio(for vector: VectorFile.Vector, session: NetworkSession) throws -> (DataRateIndex, Frequency) {
        let dataRate = try #require(DataRateIndex(rawValue: UInt8(try vector.optionalInt("tx_dr") ?? 5)))
        let channel = try #require(session.macSettings.uplinkChannel(try vector.optionalInt("tx_ch") ?? 0))
        return (dataRate, channel.frequency)
    }

    @Test("every uplink of data_mic.json verifies under its session and rebuilt counter")
    func dataMICVectors() throws {
        let file = try VectorFile.load("data_mic")
        var checked = 0
        for vector in file.vectors where try vector.string("direction") == "uplink" {
            let phyPayload = try vector.hex("msg") + vector.expectedHex("mic")
            let session = try Self.session(for: vector)
            let (dataRate, frequency) = try Self.radio(for: vector, session: session)
            let layout = try DataUplinkVerification.parse(phyPayload)
            let outcome = DataUplinkVerification.verify(
                phyPayload: phyPayload, layout: layout, dataRate: dataRate, frequency: frequency, candidates: [session])
            let fCnt = UInt32(try vector.int("fcnt"))
            #expect(outcome == .verified(VerifiedDataUplink(candidateIndex: 0, session: session, frameCounter: .new(fCnt))),
                    "\(vector.id)")
            // One flipped MIC bit and the same frame fails.
            var forged = phyPayload
            forged[forged.count - 1] ^= 0x01
            #expect(DataUplinkVerification.verify(phyPayload: forged, layout: try DataUplinkVerification.parse(forged),
                                                  dataRate: dataRate, frequency: frequency, candidates: [session])
                    == .micFailed(candidates: 1), "\(vector.id)")
            checked += 1
        }
        #expect(checked == 15)
    }

    @Test("every uplink of data_frame.json verifies and yields its MAC commands")
    func dataFrameVectors() throws {
        let file = try VectorFile.load("data_frame")
        let expectedCommands: [String: [UplinkMACCommand]] = [
            "brocaar-10-macs-in-fopts": [.linkCheckReq, .linkADRAns(LinkADRAnswerStatus(rawValue: 0x05))],
            "brocaar-10-macs-in-frmpayload": [.linkCheckReq, .linkADRAns(LinkADRAnswerStatus(rawValue: 0x05))],
            "brocaar-11-macs-in-frmpayload": [.linkCheckReq, .linkADRAns(LinkADRAnswerStatus(rawValue: 0x05))],
            "brocaar-10-example-encode": [.devStatusAns(battery: DevStatusBattery(rawValue: 0x73), margin: DevStatusMargin(decibels: 7)!)],
            "lora-packet-11-rekeyind": [.rekeyInd(minor: .lorawan1_1)],
        ]
        var checked = 0
        for vector in file.vectors {
            let phyPayload = try vector.expectedHex("phy_payload")
            guard try MHDR(byte: phyPayload[0]).mType.dataDirection == .uplink else { continue }
            let session = try Self.session(for: vector)
            let (dataRate, frequency) = try Self.radio(for: vector, session: session)
            let outcome = DataUplinkVerification.verify(
                phyPayload: phyPayload, layout: try DataUplinkVerification.parse(phyPayload), dataRate: dataRate,
                frequency: frequency, candidates: [session])
            guard case .verified(let verified) = outcome else {
                Issue.record("\(vector.id): \(outcome)")
                continue
            }
            #expect(verified.frameCounter == .new(UInt32(try vector.int("fcnt"))), "\(vector.id)")
            let block = UplinkMACCommandReader.read(
                frame: try DataFrame(decoding: phyPayload), fCnt: verified.frameCounter.fCnt, session: session)
            #expect(block.stop == nil, "\(vector.id)")
            #expect(block.commands == (expectedCommands[vector.id] ?? []), "\(vector.id)")
            checked += 1
        }
        #expect(checked == 9)
    }

    @Test("among sessions sharing a DevAddr, the one whose key verifies is chosen")
    func candidates() throws {
        let a = try Fixture.session(keys: .legacy(nwkSKey: Fixture.key(filledWith: 0xA1)), fCntUp: 4)
        let b = try Fixture.session(keys: .legacy(nwkSKey: Fixture.key(filledWith: 0xB2)), fCntUp: 70_000)
        let c = try Fixture.session(keys: Fixture.currentKeys(), fCntUp: 9)
        let bytes = try Fixture.uplink(for: b, fCnt: 70_001)
        let outcome = DataUplinkVerification.verify(
            phyPayload: bytes, layout: try DataUplinkVerification.parse(bytes), dataRate: .dr5,
            frequency: Frequency(hertz: 868_100_000), candidates: [a, c, b])
        #expect(outcome == .verified(VerifiedDataUplink(candidateIndex: 2, session: b, frameCounter: .new(70_001))))
    }

    @Test("a frame for no known DevAddr is unknown, one no key verifies is a MIC failure")
    func unknownAndForged() throws {
        let session = try Fixture.session(fCntUp: 1)
        let stranger = try Fixture.uplink(for: session, fCnt: 2, devAddr: DevAddr(0x2600_0001))
        #expect(DataUplinkVerification.verify(
            phyPayload: stranger, layout: try DataUplinkVerification.parse(stranger), dataRate: .dr5,
            frequency: Frequency(hertz: 868_100_000), candidates: [session]) == .unknownDevAddr(DevAddr(0x2600_0001)))
        let impostor = try Fixture.session(keys: .legacy(nwkSKey: Fixture.key(filledWith: 0x99)), fCntUp: 1)
        let forged = try Fixture.uplink(for: impostor, fCnt: 2)
        #expect(DataUplinkVerification.verify(
            phyPayload: forged, layout: try DataUplinkVerification.parse(forged), dataRate: .dr5,
            frequency: Frequency(hertz: 868_100_000), candidates: [session, session]) == .micFailed(candidates: 2))
    }

    @Test("a replayed old frame verifies only in its own epoch and is reported as a replay")
    func replayOfOldFrame() throws {
        var session = try Fixture.session(fCntUp: 9)
        let old = try Fixture.uplink(for: session, fCnt: 10)
        session.fCntUp = 25
        let outcome = DataUplinkVerification.verify(
            phyPayload: old, layout: try DataUplinkVerification.parse(old), dataRate: .dr5,
            frequency: Frequency(hertz: 868_100_000), candidates: [session])
        #expect(outcome == .verified(VerifiedDataUplink(candidateIndex: 0, session: session, frameCounter: .replay(10))))
    }

    @Test("a 1.1 MIC binds the data rate, the channel and the acknowledged downlink counter")
    func lorawan11Binding() throws {
        var session = try Fixture.session(keys: Fixture.currentKeys(), fCntUp: 3, macSettings: try Fixture.eu868WithCFList())
        session.lastConfirmedDownlinkFCnt = 0x0001_0007
        let bytes = try Fixture.uplink(for: session, fCnt: 4, ack: true, dataRate: .dr3, frequency: 867_300_000, confFCnt: 7)
        let layout = try DataUplinkVerification.parse(bytes)
        func verify(_ dataRate: DataRateIndex, _ frequency: UInt32, _ s: NetworkSession) -> DataUplinkVerificationOutcome {
            DataUplinkVerification.verify(phyPayload: bytes, layout: layout, dataRate: dataRate,
                                          frequency: Frequency(hertz: frequency), candidates: [s])
        }
        #expect(verify(.dr3, 867_300_000, session) == .verified(.init(candidateIndex: 0, session: session, frameCounter: .new(4))))
        #expect(verify(.dr2, 867_300_000, session) == .micFailed(candidates: 1), "another TxDr")
        #expect(verify(.dr3, 867_500_000, session) == .micFailed(candidates: 1), "another TxCh")
        #expect(verify(.dr3, 869_000_000, session) == .micFailed(candidates: 1), "no such channel")
        var other = session
        other.lastConfirmedDownlinkFCnt = 8
        #expect(verify(.dr3, 867_300_000, other) == .micFailed(candidates: 1), "another ConfFCnt")
    }

    @Test("a downlink message type from a gateway is malformed")
    func downlinkFromGateway() throws {
        let bytes = try #require(Hex.decode("6004030201030000dfb4f1e24f1f9f"))
        #expect(throws: FrameError.self) { try DataUplinkVerification.parse(bytes) }
        #expect(throws: FrameError.self) { try DataUplinkVerification.parse([0x40, 1, 2]) }
    }
}
