import ReferenceVectors
import LoRaWAN
import Testing

/// Every published vector in `shared/reference/vectors/` for the cryptographic primitives.
@Suite("Published LoRaWAN crypto vectors")
struct CryptoVectorTests {
    @Test("AES-CMAC matches RFC 4493")
    func aesCMAC() throws {
        for v in try VectorFile.load("aes_cmac").vectors {
            let key = try #require(AppKey(bytes: try v.hex("key")))
            #expect(AESCMAC.mac(key: key, message: try v.hex("message")).hex == (try v.expectedHex("mac")).hex, "\(v.id)")
        }
    }

    @Test("RFC 3394 key wrap and unwrap match, and bad input is rejected")
    func keyWrap() throws {
        for v in try VectorFile.load("aes_key_wrap").vectors {
            let kek = try v.hex("kek")
            if v.expectsError {
                switch try v.string("mode") {
                case "wrap": #expect(throws: KeyWrap.Failure.self, "\(v.id)") { try KeyWrap.wrap(try v.hex("plaintext"), kek: kek) }
                default: #expect(throws: KeyWrap.Failure.self, "\(v.id)") { try KeyWrap.unwrap(try v.hex("ciphertext"), kek: kek) }
                }
                continue
            }
            let plaintext = try v.hex("plaintext")
            let ciphertext = try v.expectedHex("ciphertext")
            #expect(try KeyWrap.wrap(plaintext, kek: kek).hex == ciphertext.hex, "\(v.id)")
            #expect(try KeyWrap.unwrap(ciphertext, kek: kek).hex == plaintext.hex, "\(v.id)")
        }
    }

    @Test("key unwrap detects a flipped bit")
    func keyUnwrapDetectsTampering() throws {
        let kek = Hex.decode("000102030405060708090a0b0c0d0e0f")!
        var wrapped = Hex.decode("1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5")!
        for index in wrapped.indices {
            wrapped[index] ^= 0x01
            #expect(throws: KeyWrap.Failure.integrityCheckFailed) { try KeyWrap.unwrap(wrapped, kek: kek) }
            wrapped[index] ^= 0x01
        }
    }

    @Test("data frame MICs match for 1.0 and 1.1, uplink and downlink")
    func dataMIC() throws {
        for v in try VectorFile.load("data_mic").vectors {
            let devAddr = DevAddr(parsingBytes: try v.hex("dev_addr"))
            let fCnt = UInt32(try v.int("fcnt"))
            let msg = try v.hex("msg")
            let direction: Direction = try v.string("direction") == "uplink" ? .uplink : .downlink
            let mic: MIC
            switch (try v.string("version"), direction) {
            case ("1.0", .uplink):
                mic = DataFrameMIC.computeLegacyUplinkMIC(nwkSKey: try key(v, "nwk_s_key"), devAddr: devAddr, fCnt: fCnt, message: msg)
            case ("1.0", .downlink):
                mic = DataFrameMIC.computeLegacyDownlinkMIC(nwkSKey: try key(v, "nwk_s_key"), devAddr: devAddr, fCnt: fCnt, message: msg)
            case (_, .uplink):
                mic = DataFrameMIC.computeUplinkMIC(
                    fNwkSIntKey: try key(v, "f_nwk_s_int_key"), sNwkSIntKey: try key(v, "s_nwk_s_int_key"),
                    confFCnt: UInt16(truncatingIfNeeded: try v.int("conf_fcnt")), txDR: UInt8(try v.int("tx_dr")),
                    txCh: UInt8(try v.int("tx_ch")), devAddr: devAddr, fCnt: fCnt, message: msg)
            case (_, .downlink):
                mic = DataFrameMIC.computeDownlinkMIC(
                    sNwkSIntKey: try key(v, "s_nwk_s_int_key"), confFCnt: UInt16(truncatingIfNeeded: try v.int("conf_fcnt")),
                    devAddr: devAddr, fCnt: fCnt, message: msg)
            }
            #expect(mic.bytes.hex == (try v.expectedHex("mic")).hex, "\(v.id)")
        }
    }

    @Test("FRMPayload encryption matches")
    func frmPayload() throws {
        for v in try VectorFile.load("frm_payload_crypt").vectors {
            let key: AppSKey = try key(v, "key")
            let direction: Direction = try v.string("direction") == "uplink" ? .uplink : .downlink
            let devAddr = DevAddr(parsingBytes: try v.hex("dev_addr"))
            let fCnt = UInt32(try v.int("fcnt"))
            let plaintext = try v.hex("plaintext")
            let ciphertext = try v.expectedHex("ciphertext")
            #expect(PayloadCipher.cryptFRMPayload(plaintext, key: key, direction: direction, devAddr: devAddr, fCnt: fCnt).hex == ciphertext.hex, "\(v.id)")
            #expect(PayloadCipher.cryptFRMPayload(ciphertext, key: key, direction: direction, devAddr: devAddr, fCnt: fCnt).hex == plaintext.hex, "\(v.id)")
        }
    }

    @Test("FOpts encryption matches both published 1.1 variants")
    func fOpts() throws {
        for v in try VectorFile.load("fopts_crypt").vectors {
            let variant = try #require(FOptsEncryptionVariant(rawValue: try v.string("variant")))
            let counter = DownlinkCounter(rawValue: (try? v.string("fcnt_type")) ?? "NFCntDown") ?? .nFCntDown
            let out = try PayloadCipher.cryptFOpts(
                try v.hex("plaintext"), key: try key(v, "key"), variant: variant,
                direction: try v.string("direction") == "uplink" ? .uplink : .downlink,
                devAddr: DevAddr(parsingBytes: try v.hex("dev_addr")), fCnt: UInt32(try v.int("fcnt")), downlinkCounter: counter)
            #expect(out.hex == (try v.expectedHex("ciphertext")).hex, "\(v.id)")
        }
    }

    @Test("join-request MICs match")
    func joinRequestMIC() throws {
        for v in try VectorFile.load("join_request_mic").vectors {
            let msg = try v.hex("msg")
            let legacy = JoinMIC.computeLegacyJoinRequestMIC(appKey: try key(v, "key"), message: msg)
            let current = JoinMIC.computeJoinRequestMIC(nwkKey: try key(v, "key"), message: msg)
            #expect(legacy.bytes.hex == (try v.expectedHex("mic")).hex, "\(v.id)")
            #expect(current == legacy, "\(v.id)")
        }
    }

    @Test("rejoin-request MICs match for types 0, 1 and 2")
    func rejoinRequestMIC() throws {
        for v in try VectorFile.load("rejoin_request_mic").vectors {
            let msg = try v.hex("msg")
            let mic = try v.int("rejoin_type") == 1
                ? JoinMIC.computeRejoinRequestMIC(jsIntKey: try key(v, "key"), message: msg)
                : JoinMIC.computeRejoinRequestMIC(sNwkSIntKey: try key(v, "key"), message: msg)
            #expect(mic.bytes.hex == (try v.expectedHex("mic")).hex, "\(v.id)")
            // The codec agrees on the layout: decoding and re-encoding gives the MIC'd bytes back.
            let request = try RejoinRequest(decoding: msg + mic.bytes)
            #expect(request.encodedWithoutMIC == msg, "\(v.id)")
        }
    }

    @Test("join-accept MICs and encryption match for 1.0 and 1.1")
    func joinAccept() throws {
        for v in try VectorFile.load("join_accept").vectors {
            let msg = try v.hex("msg")
            let mic: MIC
            if try v.string("version") == "1.0" {
                mic = JoinMIC.computeLegacyJoinAcceptMIC(key: try key(v, "mic_key") as AppKey, message: msg)
            } else {
                mic = JoinMIC.computeJoinAcceptMIC(
                    jsIntKey: try key(v, "mic_key"), joinReqType: try #require(JoinRequestType(rawValue: UInt8(try v.int("join_req_type")))),
                    joinEUI: EUI64(bigEndianBytes: try v.hex("join_eui")), devNonce: UInt16(try v.int("dev_nonce")), message: msg)
            }
            if v.expected["mic"] != nil {
                #expect(mic.bytes.hex == (try v.expectedHex("mic")).hex, "\(v.id)")
            }
            if v.expected["phy_payload"] != nil {
                let encKey: NwkKey = try key(v, "enc_key")
                let expected = try v.expectedHex("phy_payload")
                #expect(try JoinAcceptCipher.encrypt(msg + mic.bytes, key: encKey).hex == expected.hex, "\(v.id)")
                #expect(try JoinAcceptCipher.decrypt(expected, key: encKey).hex == (msg + mic.bytes).hex, "\(v.id)")
                let decoded = try EncryptedJoinAccept(bytes: expected).decrypt(key: encKey)
                #expect(decoded.encodedWithoutMIC == msg, "\(v.id)")
                #expect(decoded.mic == mic, "\(v.id)")
            }
        }
    }

    @Test("1.0.x session keys match")
    func sessionKeys10() throws {
        for v in try VectorFile.load("session_keys_10").vectors {
            let keys = SessionKeyDerivation.deriveLegacySessionKeys(
                appKey: try key(v, "app_key"), joinNonce: try #require(JoinNonce(UInt32(try v.int("join_nonce")))),
                netID: try NetID(parsing: Hex.encode(try v.hex("net_id"))), devNonce: DevNonce(UInt16(try v.int("dev_nonce"))))
            #expect(keys.nwkSKey.exportHex() == (try v.expectedHex("nwk_s_key")).hex, "\(v.id)")
            #expect(keys.appSKey.exportHex() == (try v.expectedHex("app_s_key")).hex, "\(v.id)")
        }
    }

    @Test("1.1 session keys match")
    func sessionKeys11() throws {
        for v in try VectorFile.load("session_keys_11").vectors {
            let keys = SessionKeyDerivation.deriveSessionKeys(
                nwkKey: try key(v, "nwk_key"), appKey: try key(v, "app_key"),
                joinNonce: try #require(JoinNonce(UInt32(try v.int("join_nonce")))),
                joinEUI: EUI64(bigEndianBytes: try v.hex("join_eui")), devNonce: DevNonce(UInt16(try v.int("dev_nonce"))))
            #expect(keys.fNwkSIntKey.exportHex() == (try v.expectedHex("f_nwk_s_int_key")).hex, "\(v.id)")
            #expect(keys.sNwkSIntKey.exportHex() == (try v.expectedHex("s_nwk_s_int_key")).hex, "\(v.id)")
            #expect(keys.nwkSEncKey.exportHex() == (try v.expectedHex("nwk_s_enc_key")).hex, "\(v.id)")
            #expect(keys.appSKey.exportHex() == (try v.expectedHex("app_s_key")).hex, "\(v.id)")
        }
    }

    @Test("a 1.1 device answered with OptNeg=0 gets the 1.0 keys under NwkKey, all network keys equal")
    func sessionKeysOptNegZero() throws {
        for v in try VectorFile.load("session_keys_10").vectors {
            let keys = SessionKeyDerivation.deriveSessionKeysForOptNegZero(
                nwkKey: try key(v, "app_key"), joinNonce: try #require(JoinNonce(UInt32(try v.int("join_nonce")))),
                netID: try NetID(parsing: Hex.encode(try v.hex("net_id"))), devNonce: DevNonce(UInt16(try v.int("dev_nonce"))))
            let nwkSKey = try v.expectedHex("nwk_s_key").hex
            #expect(keys.fNwkSIntKey.exportHex() == nwkSKey, "\(v.id)")
            #expect(keys.sNwkSIntKey.exportHex() == nwkSKey, "\(v.id)")
            #expect(keys.nwkSEncKey.exportHex() == nwkSKey, "\(v.id)")
            #expect(keys.appSKey.exportHex() == (try v.expectedHex("app_s_key")).hex, "\(v.id)")
        }
    }

    @Test("JSIntKey and JSEncKey match")
    func joinServerKeys() throws {
        for v in try VectorFile.load("js_keys").vectors {
            let keys = SessionKeyDerivation.deriveJoinServerKeys(
                nwkKey: try key(v, "nwk_key"), devEUI: EUI64(bigEndianBytes: try v.hex("dev_eui")))
            #expect(keys.jsIntKey.exportHex() == (try v.expectedHex("js_int_key")).hex, "\(v.id)")
            #expect(keys.jsEncKey.exportHex() == (try v.expectedHex("js_enc_key")).hex, "\(v.id)")
        }
    }

    @Test("TS005 multicast keys match")
    func multicastKeys() throws {
        for v in try VectorFile.load("multicast_keys").vectors {
            let expected = try v.expectedHex("key").hex
            let out: String
            switch try v.string("op") {
            case "mc_root_key_gen_app_key": out = MulticastKeys.deriveMcRootKey(genAppKey: try key(v, "key")).exportHex()
            case "mc_root_key_app_key": out = MulticastKeys.deriveMcRootKey(appKey: try key(v, "key")).exportHex()
            case "mc_ke_key": out = MulticastKeys.deriveMcKEKey(mcRootKey: try key(v, "key")).exportHex()
            case "mc_app_s_key":
                out = MulticastKeys.deriveMcAppSKey(mcKey: try key(v, "key"), mcAddr: DevAddr(parsingBytes: try v.hex("mc_addr"))).exportHex()
            case "mc_nwk_s_key":
                out = MulticastKeys.deriveMcNwkSKey(mcKey: try key(v, "key"), mcAddr: DevAddr(parsingBytes: try v.hex("mc_addr"))).exportHex()
            case "mc_key_encrypt":
                out = MulticastKeys.encryptMcKey(try #require(McKey(bytes: try v.hex("data"))), mcKEKey: try key(v, "key")).hex
            case "mc_key_decrypt":
                out = try MulticastKeys.decryptMcKey(try v.hex("data"), mcKEKey: try key(v, "key")).exportHex()
            case let op:
                Issue.record("unknown multicast op \(op) in \(v.id)")
                continue
            }
            #expect(out == expected, "\(v.id)")
        }
    }

    @Test("16 to 32-bit frame counters are rebuilt by both published semantics")
    func frameCounters() throws {
        for v in try VectorFile.load("fcnt_reconstruct").vectors {
            let reference = UInt32(try v.int("reference"))
            let low = UInt16(try v.int("fcnt16"))
            let full = try v.string("semantics") == "last_seen"
                ? FrameCounter.full(fromLow16: low, lastAccepted: reference)
                : FrameCounter.full(fromLow16: low, nextExpected: reference)
            #expect(Int(full) == (try v.expectedInt("fcnt")), "\(v.id)")
        }
    }
}

func key<Role>(_ vector: VectorFile.Vector, _ field: String) throws -> AES128Key<Role> {
    try #require(AES128Key<Role>(bytes: try vector.hex(field)), "\(vector.id): \(field) is not 16 bytes")
}

extension DevAddr {
    init(parsingBytes bytes: [UInt8]) { self.init(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
}
