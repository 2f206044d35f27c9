import ReferenceVectors
import LoRaWAN
import NetworkServer
import Testing

@Suite("Reading uplink MAC commands")
struct UplinkMACCommandReaderTests {
    @Test("1.1 FOpts are decrypted with NwkSEncKey in the device's variant (fopts_crypt uplinks)")
    func foptsVectors() throws {
        let file = try VectorFile.load("fopts_crypt")
        var checked = 0
        for vector in file.vectors where try vector.string("direction") == "uplink" {
            let variant = try #require(FOptsEncryptionVariant(rawValue: try vector.string("variant")))
            let keys = NetworkSessionKeys.current(
                fNwkSIntKey: Fixture.key(filledWith: 0), sNwkSIntKey: Fixture.key(filledWith: 0),
                nwkSEncKey: try vector.key("key"), fOptsVariant: variant)
            let frame = DataFrame(confirmed: false, devAddr: try vector.devAddr(), fCtrl: .uplink(UplinkFCtrl()),
                                  fCnt16: UInt16(try vector.int("fcnt")), fOpts: try vector.expectedHex("ciphertext"))
            let clear = try UplinkMACCommandReader.clearBytes(of: frame, fCnt: UInt32(try vector.int("fcnt")), keys: keys)
            #expect(clear == (try vector.hex("plaintext")), "\(vector.id)")
            checked += 1
        }
        #expect(checked >= 1)
    }

    @Test("a FOpts of a 1.1 device is encrypted under the other variant: the commands read differently")
    func variantMatters() throws {
        let clear: [UInt8] = [0x02, 0x0D]
        let session = try Fixture.session(keys: Fixture.currentKeys(.errata))
        let bytes = try Fixture.uplink(for: session, fCnt: 5, fOpts: clear)
        let frame = try DataFrame(decoding: bytes)
        #expect(frame.fOpts != clear, "FOpts travel encrypted")
        #expect(try UplinkMACCommandReader.clearBytes(of: frame, fCnt: 5, keys: session.keys) == clear)
        #expect(try UplinkMACCommandReader.clearBytes(of: frame, fCnt: 5, keys: Fixture.currentKeys(.asPublished)) != clear)
    }

    @Test("a 1.0 device's FOpts are in clear and FPort 0 payloads are under NwkSKey")
    func lorawan10() throws {
        let session = try Fixture.session()
        let inFOpts = try DataFrame(decoding: try Fixture.uplink(for: session, fCnt: 1, fOpts: [0x02]))
        #expect(UplinkMACCommandReader.read(frame: inFOpts, fCnt: 1, session: session).commands == [.linkCheckReq])
        let inPayload = try DataFrame(decoding: try Fixture.uplink(for: session, fCnt: 2, fPort: 0, payload: [0x02, 0x0D]))
        #expect(inPayload.frmPayload != [0x02, 0x0D])
        #expect(UplinkMACCommandReader.read(frame: inPayload, fCnt: 2, session: session).commands == [.linkCheckReq, .deviceTimeReq])
    }

    /// Every uplink command with a payload, cut one byte short.
    @Test("a command cut short stops reading there and keeps the commands before it",
          arguments: [(UInt8(0x01), 1), (0x03, 1), (0x05, 1), (0x06, 2), (0x07, 1), (0x0A, 1), (0x0B, 1), (0x0F, 1),
                      (0x10, 1), (0x11, 1), (0x13, 1), (0x20, 1)])
    func truncated(cid: UInt8, length: Int) {
        let bytes: [UInt8] = [0x02, cid] + [UInt8](repeating: 0x01, count: length - 1)
        let block = UplinkMACCommandReader.read(bytes, macVersion: .v1_1)
        #expect(block.commands == [.linkCheckReq])
        #expect(block.stop?.offset == 1)
        #expect(block.stop?.ignoredByteCount == length)
        guard case .truncated? = block.stop?.error else {
            Issue.record("CID \(cid): \(String(describing: block.stop))")
            return
        }
    }

    @Test("an unknown CID stops reading: the bytes after it cannot be framed")
    func unknownCID() {
        let block = UplinkMACCommandReader.read([0x0D, 0x0E, 0x02, 0x02], macVersion: .v1_1)
        #expect(block.commands == [.deviceTimeReq])
        #expect(block.stop == MACCommandParseStop(offset: 1, ignoredByteCount: 3, error: .unknownMACCommand(cid: 0x0E, direction: "uplink")))
        #expect(UplinkMACCommandReader.read([0x00], macVersion: .v1_1).stop?.offset == 0)
        #expect(UplinkMACCommandReader.read([0x7F, 0x02], macVersion: .v1_0_3).commands.isEmpty)
    }

    @Test("commands only LoRaWAN 1.1 defines are unknown from a 1.0.x device", arguments: [UInt8(0x01), 0x0B, 0x0C, 0x0F, 0x20])
    func lorawan11Only(cid: UInt8) {
        let bytes: [UInt8] = [0x02, cid] + [UInt8](repeating: 0, count: UplinkMACCommand.payloadLength(cid: cid) ?? 0)
        #expect(UplinkMACCommandReader.read(bytes, macVersion: .v1_0_4).stop?.error == .unknownMACCommand(cid: cid, direction: "uplink"))
        #expect(UplinkMACCommandReader.read(bytes, macVersion: .v1_1).stop == nil)
    }

    @Test("an RFU field value stops reading")
    func rfuClass() {
        let block = UplinkMACCommandReader.read([0x02, 0x20, 0x01], macVersion: .v1_1)
        #expect(block.commands == [.linkCheckReq])
        guard case .invalidField? = block.stop?.error else {
            Issue.record("DeviceModeInd class 1 is RFU")
            return
        }
    }

    @Test("a proprietary command takes the rest")
    func proprietary() {
        let block = UplinkMACCommandReader.read([0x02, 0x80, 0x02, 0x03], macVersion: .v1_0_2)
        #expect(block.stop == nil)
        #expect(block.commands == [.linkCheckReq, .proprietary(cid: ProprietaryCID(rawValue: 0x80)!, payload: [0x02, 0x03])])
    }
}
