import LoRaWAN
import PropertyBased
import Testing

/// Round trips for the frame codec and ciphers, and decoding of hostile bytes.
@Suite("Codec properties")
struct CodecPropertyTests {
    static let keyBytes = Gen.uint8().array(of: 16)
    static let anyBytes = Gen.uint8().array(of: 0...300)

    @Test("random bytes never trap the PHYPayload decoder, and what decodes re-encodes identically")
    func randomBytes() async {
        await propertyCheck(count: 3000, input: Self.anyBytes) { bytes in
            if let frame = try? PHYPayload(decoding: bytes) {
                #expect((try? frame.encode()) == bytes)
            }
        }
    }

    @Test("every MHDR with random tails decodes or throws FrameError")
    func everyMessageType() async {
        await propertyCheck(count: 2000, input: Gen.uint8(), Gen.uint8().array(of: 0...40)) { mhdr, tail in
            let bytes = [mhdr] + tail
            let result = Result { () throws(FrameError) in try PHYPayload(decoding: bytes) }
            switch result {
            case .success(let frame): #expect((try? frame.encode()) == bytes)
            case .failure(let error): #expect(!error.description.isEmpty)
            }
        }
    }

    @Test("truncating a valid frame anywhere gives an error, never a trap")
    func truncations() throws {
        let frames = [
            "4004030201030000020305016a3798f5b64dc039", "00080706050403020108070605040302010201e6e10c55",
            "c00003020108070605040302010201" + "11da47bd", "20c9fbb259e11649096a568a9e3b7117c3",
        ]
        for hex in frames {
            let bytes = try #require(Hex.decode(hex))
            #expect(throws: Never.self) { try PHYPayload(decoding: bytes) }
            for cut in 0..<bytes.count {
                let truncated = Array(bytes[..<cut])
                if let frame = try? PHYPayload(decoding: truncated) {
                    // A shorter data frame can still be valid (fewer payload bytes); then it must round-trip.
                    #expect(try frame.encode() == truncated)
                }
            }
            #expect(throws: FrameError.self) { try PHYPayload(decoding: bytes + [UInt8](repeating: 0, count: 256)) }
        }
    }

    @Test("data frames round-trip through the codec")
    func dataFrameRoundTrip() async {
        let gen = zip(
            Gen.uint32(), Gen.uint8(), Gen.uint16(), Gen.uint8().array(of: 0...15),
            Gen.uint8(in: 1...255).optional(), Gen.uint8().array(of: 0...200), Gen.bool, Gen.bool)
        await propertyCheck(count: 500, input: gen) { devAddr, fCtrl, fCnt, fOpts, fPort, payload, confirmed, uplink in
            let direction: Direction = uplink ? .uplink : .downlink
            let frame = DataFrame(
                confirmed: confirmed, devAddr: DevAddr(devAddr), fCtrl: FCtrl(byte: fCtrl & 0xF0, direction: direction),
                fCnt16: fCnt, fOpts: fOpts, fPort: fPort, frmPayload: fPort == nil ? [] : payload, mic: MIC(devAddr ^ 0x5A5A))
            guard let wire = try? frame.encode() else { return }  // over 255 bytes is refused, fine
            let decoded = try DataFrame(decoding: wire)
            #expect(decoded.devAddr == frame.devAddr)
            #expect(decoded.fCnt16 == frame.fCnt16)
            #expect(decoded.fOpts == frame.fOpts)
            #expect(decoded.fPort == frame.fPort)
            #expect(decoded.frmPayload == frame.frmPayload)
            #expect(decoded.mic == frame.mic)
            #expect(decoded.confirmed == confirmed)
            #expect(try decoded.encode() == wire)
        }
    }

    @Test("FRMPayload encryption is its own inverse and keeps the length")
    func frmPayloadInvolution() async {
        await propertyCheck(count: 300, input: Self.keyBytes, Gen.uint8().array(of: 0...255), Gen.uint32(), Gen.uint32()) { k, payload, addr, fCnt in
            let key = AppSKey(bytes: k)!
            let once = PayloadCipher.cryptFRMPayload(payload, key: key, direction: .uplink, devAddr: DevAddr(addr), fCnt: fCnt)
            #expect(once.count == payload.count)
            #expect(PayloadCipher.cryptFRMPayload(once, key: key, direction: .uplink, devAddr: DevAddr(addr), fCnt: fCnt) == payload)
        }
    }

    @Test("join-accepts encrypt and decrypt back, with and without CFList")
    func joinAcceptRoundTrip() async {
        await propertyCheck(count: 300, input: Self.keyBytes, Gen.uint8().array(of: 16), Gen.bool) { k, body, withCFList in
            let key = AppKey(bytes: k)!
            let plaintext = [0x20] + Array(body.prefix(withCFList ? 16 : 16)) + (withCFList ? body : [])
            let encrypted = try JoinAcceptCipher.encrypt(plaintext, key: key)
            #expect(encrypted[0] == 0x20)
            #expect(try JoinAcceptCipher.decrypt(encrypted, key: key) == plaintext)
        }
    }

    @Test("key wrap round-trips every 128-bit key")
    func keyWrapRoundTrip() async {
        await propertyCheck(count: 200, input: Self.keyBytes, Self.keyBytes) { k, kek in
            let key = NwkSEncKey(bytes: k)!
            let wrapped = try KeyWrap.wrap(key, kek: kek)
            #expect(wrapped.count == 24)
            #expect(try KeyWrap.unwrap(wrapped, kek: kek, as: NwkSEncKey.self) == key)
        }
    }

    @Test("join-requests and rejoin-requests round-trip")
    func joinRoundTrip() async {
        await propertyCheck(count: 300, input: Gen.uint64(), Gen.uint64(), Gen.uint16(), Gen.uint32(), Gen.uint32(in: 0...0xFF_FFFF)) { j, d, n, m, net in
            let request = JoinRequest(joinEUI: EUI64(j), devEUI: EUI64(d), devNonce: DevNonce(n), mic: MIC(m))
            #expect((try? JoinRequest(decoding: request.encode())) == request)
            let rejoins: [RejoinRequest] = [
                .type0(netID: NetID(net)!, devEUI: EUI64(d), rjCount0: RJCount(n), mic: MIC(m)),
                .type1(joinEUI: EUI64(j), devEUI: EUI64(d), rjCount1: RJCount(n), mic: MIC(m)),
                .type2(netID: NetID(net)!, devEUI: EUI64(d), rjCount0: RJCount(n), mic: MIC(m)),
            ]
            for rejoin in rejoins { #expect((try? RejoinRequest(decoding: rejoin.encode())) == rejoin) }
        }
    }

    @Test("AES-NI and swift-crypto agree on every block and key")
    func hardwareMatchesSoftware() async {
        await propertyCheck(count: 300, input: Self.keyBytes, Self.keyBytes) { k, message in
            // CMAC of a 16-byte message under the hardware path, recomputed through swift-crypto's CMAC.
            let key = AppKey(bytes: k)!
            #expect(AESCMAC.mac(key: key, message: message) == ReferenceCMAC.mac(key: k, message: message))
        }
    }
}
