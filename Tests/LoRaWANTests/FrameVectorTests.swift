import ReferenceVectors
import LoRaWAN
import Testing

@Suite("Published whole-frame vectors")
struct FrameVectorTests {
    @Test("data frames built from fields match the published wire bytes, and decode back")
    func dataFrames() throws {
        for v in try VectorFile.load("data_frame").vectors {
            let is11 = try v.string("version") == "1.1"
            let mhdr = try #require(try v.hex("mhdr").first)
            let mType = try MHDR(byte: mhdr).mType
            let direction = try #require(mType.dataDirection)
            let devAddr = DevAddr(parsingBytes: try v.hex("dev_addr"))
            let fCnt = UInt32(try v.int("fcnt"))
            let fCtrlByte = try #require(try v.hex("fctrl").first)
            let fPort: UInt8? = if case .integer(let p) = try v.input("fport") { UInt8(p) } else { nil }
            var payload = try v.hex("frm_payload")
            let appSKey: AppSKey = try key(v, "app_s_key")
            if let fPort, fPort > 0 {
                // The Application Server's part.
                payload = PayloadCipher.cryptFRMPayload(payload, key: appSKey, direction: direction, devAddr: devAddr, fCnt: fCnt)
            }
            let keys: NetworkSessionKeys = is11
                ? .current(
                    fNwkSIntKey: try key(v, "f_nwk_s_int_key"), sNwkSIntKey: try key(v, "s_nwk_s_int_key"),
                    nwkSEncKey: try key(v, "nwk_s_enc_key"),
                    fOptsVariant: FOptsEncryptionVariant(rawValue: (try? v.string("fopts_variant")) ?? "1.1") ?? .asPublished)
                : .legacy(nwkSKey: try key(v, "nwk_s_key"))
            let fOptsEncrypted = v.inputs["fopts_encrypted"] == .bool(true)
            let frame = DataFrame(
                confirmed: mType.isConfirmed, devAddr: devAddr, fCtrl: FCtrl(byte: fCtrlByte, direction: direction),
                fCnt16: UInt16(truncatingIfNeeded: fCnt), fOpts: try v.hex("fopts"), fPort: fPort, frmPayload: payload)
            let parameters = MICParameters(
                confFCnt: UInt16(truncatingIfNeeded: (try? v.int("conf_fcnt")) ?? 0),
                txDR: UInt8((try? v.int("tx_dr")) ?? 0), txCh: UInt8((try? v.int("tx_ch")) ?? 0))
            // Every published 1.1 frame with FOpts has them encrypted, so sealing with the session keys applies.
            #expect(!is11 || fOptsEncrypted || frame.fOpts.isEmpty, "\(v.id)")
            let wire = try DataFrameCrypto.seal(frame, fCnt: fCnt, keys: keys, micParameters: parameters)
            let expected = try v.expectedHex("phy_payload")
            #expect(wire.hex == expected.hex, "\(v.id)")

            // The receiving side: decode, verify the MIC, and get the clear fields back.
            guard case .data(let decoded) = try PHYPayload(decoding: expected) else {
                Issue.record("\(v.id) did not decode as a data frame")
                continue
            }
            #expect(decoded.devAddr == devAddr, "\(v.id)")
            #expect(decoded.fPort == fPort, "\(v.id)")
            #expect(try DataFrameCrypto.verifyMIC(frame: expected, fCnt: fCnt, keys: keys, micParameters: parameters), "\(v.id)")
            #expect(try DataFrameCrypto.cryptFOpts(decoded.fOpts, frame: decoded, fCnt: fCnt, keys: keys) == (try v.hex("fopts")), "\(v.id)")
            #expect(try decoded.encode() == expected, "\(v.id)")
        }
    }

    @Test("a frame with a flipped bit fails its MIC")
    func tamperedFrameFailsMIC() throws {
        let wire = Hex.decode("40f17dbe4900020001954378762b11ff0d")!
        let keys = NetworkSessionKeys.legacy(nwkSKey: try NwkSKey(parsing: "44024241ed4ce9a68c6a8bc055233fd3"))
        #expect(try DataFrameCrypto.verifyMIC(frame: wire, fCnt: 2, keys: keys))
        for index in 0..<(wire.count - 4) {
            var tampered = wire
            tampered[index] ^= 0x04
            let layout = try? DataFrameLayout(parsing: tampered)
            guard layout != nil else { continue }  // some flips make the frame undecodable, which is fine
            #expect(try DataFrameCrypto.verifyMIC(frame: tampered, fCnt: 2, keys: keys) == false, "byte \(index)")
        }
        #expect(try DataFrameCrypto.verifyMIC(frame: wire, fCnt: 2 + 0x1_0000, keys: keys) == false, "the counter's high half is covered")
    }
}
