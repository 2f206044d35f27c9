import ReferenceVectors
import LoRaWAN
import NetworkServer
import PropertyBased
import Testing

/// Hostile input never traps the uplink path, and what a device sends always verifies.
@Suite("Robustness properties")
struct RobustnessPropertyTests {
    static let anyBytes = Gen.uint8().array(of: 0...300)

    @Test("random bytes fed to parsing and verification never trap, and never verify")
    func randomFrames() async throws {
        let sessions = [try Fixture.session(fCntUp: 3), try Fixture.session(keys: Fixture.currentKeys(), fCntUp: 70_000,
                                                                             macSettings: try Fixture.eu868WithCFList())]
        await propertyCheck(count: 3000, input: Self.anyBytes, Gen.uint32()) { bytes, addr in
            var frame = bytes
            // Half the time make it look like a data uplink of our DevAddr, so the MIC path is exercised.
            if addr & 1 == 0, frame.count >= 12 {
                frame[0] = addr & 2 == 0 ? 0x40 : 0x80
                frame.replaceSubrange(1..<5, with: Fixture.devAddr.littleEndianBytes)
                frame[5] &= 0xF0 | UInt8(truncatingIfNeeded: addr >> 8) & 0x07
            }
            guard let layout = try? DataUplinkVerification.parse(frame) else { return }
            let outcome = DataUplinkVerification.verify(
                phyPayload: frame, layout: layout, dataRate: .dr5, frequency: Frequency(hertz: 868_100_000), candidates: sessions)
            switch outcome {
            case .verified: Issue.record("random bytes verified: \(frame.hex)")
            case .micFailed, .unknownDevAddr: break
            }
            if let parsed = try? DataFrame(decoding: frame) {
                for session in sessions {
                    _ = UplinkMACCommandReader.read(frame: parsed, fCnt: UInt32(parsed.fCnt16), session: session)
                }
            }
        }
    }

    @Test("random MAC command bytes never trap the reader or the responder, and reading accounts for every byte")
    func randomMACCommands() async throws {
        let base = try Fixture.session(keys: Fixture.currentKeys(), activation: .abp, macSettings: try Fixture.eu868WithCFList())
        let versions = Gen<MACVersion>.case
        await propertyCheck(count: 3000, input: Self.anyBytes, versions, Gen.uint8().array(of: 0...30)) { bytes, version, pendingBytes in
            let block = UplinkMACCommandReader.read(bytes, macVersion: version)
            if let stop = block.stop {
                #expect(stop.offset + stop.ignoredByteCount == bytes.count)
                #expect(stop.offset < bytes.count)
            }
            var session = base
            session.pendingMACRequests = (try? MACCommandCodec.decodeDownlink(pendingBytes)) ?? []
            let response = MACCommandResponder().respond(to: block, context: Fixture.context(gpsTime: .seconds(5)), fCnt: 9, session: &session)
            #expect(session.pendingMACRequests.isEmpty)
            #expect(session.fCntUp == base.fCntUp, "MAC commands never touch the frame counters")
            #expect(session.downlinkCounters == base.downlinkCounters)
            #expect(session.keys == base.keys)
            // Every answer can go on the air.
            _ = MACCommandCodec.encode(response.answers)
        }
    }

    @Test("what a device seals with its session always verifies as the next frame, with its MAC commands")
    func deviceRoundTrip() async throws {
        let legacy = try Fixture.session()
        let current = try Fixture.session(keys: Fixture.currentKeys(.asPublished), macSettings: try Fixture.eu868WithCFList())
        let commands: [[UInt8]] = [[], [0x02], [0x0D, 0x02], [0x03, 0x07, 0x06, 0xFF, 0x05]]
        await propertyCheck(count: 400, input: Gen.uint32(in: 0...0xFFFF_0000), Gen.uint16(in: 1...16_000), Gen.bool,
                            Gen.int(in: 0...3), Gen.int(in: 0...7)) { last, step, lorawan11, which, channel in
            var session = lorawan11 ? current : legacy
            session.fCntUp = last
            let fCnt = last + UInt32(step)
            let frequency = session.macSettings.uplinkChannel(lorawan11 ? channel : channel % 3)!.frequency
            let bytes = try Fixture.uplink(for: session, fCnt: fCnt, confirmed: step & 1 == 0, fOpts: commands[which],
                                           dataRate: .dr3, frequency: frequency.hertz)
            let outcome = DataUplinkVerification.verify(
                phyPayload: bytes, layout: try DataUplinkVerification.parse(bytes), dataRate: .dr3, frequency: frequency,
                candidates: [session])
            #expect(outcome == .verified(VerifiedDataUplink(candidateIndex: 0, session: session, frameCounter: .new(fCnt))))
            let block = UplinkMACCommandReader.read(frame: try DataFrame(decoding: bytes), fCnt: fCnt, session: session)
            #expect(block.stop == nil)
            #expect(MACCommandCodec.encode(block.commands) == commands[which])
        }
    }
}
