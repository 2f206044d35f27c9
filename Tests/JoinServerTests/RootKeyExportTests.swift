import BackendInterfaces
import Foundation
import JoinServer
import LoRaWAN
import Testing

@Suite("Root key transfer between Join Servers")
struct RootKeyExportTests {
    typealias F = ProvisioningFixtures
    static let transferKEK = LabeledKEK(label: "js-transfer", bytes: Array(0x40...0x4F))!

    func export(_ keys: RootKeys = F.separateKeys, version: MACVersion = .v1_1, devEUI: EUI64 = F.devEUI(9)) throws -> RootKeyExport {
        try RootKeyExport.export(devEUI: devEUI, joinEUI: F.joinEUI, macVersion: version, rootKeys: keys, under: Self.transferKEK)
    }

    @Test("export then import gives back the device and its keys", arguments: [(RootKeys.legacy(appKey: F.appKey), MACVersion.v1_0_2), (F.separateKeys, .v1_1)])
    func roundTrip(keys: RootKeys, version: MACVersion) throws {
        let exported = try export(keys, version: version)
        let imported = try RootKeyExport.decode(exported.encoded())
        #expect(imported == exported)
        #expect(imported.devEUI == F.devEUI(9) && imported.joinEUI == F.joinEUI && imported.macVersion == version)
        #expect(try imported.rootKeys(with: KEKRing([Self.transferKEK])) == keys)
    }

    @Test("the document has the documented members, upper-case hex, and no key in clear")
    func documentShape() throws {
        let bytes = try export().encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(object.keys) == ["dev_eui", "join_eui", "mac_version", "kek_label", "app_key", "nwk_key"])
        #expect(object["dev_eui"] as? String == "0004A30B001C0009")
        #expect(object["mac_version"] as? String == "1.1")
        #expect(object["kek_label"] as? String == "js-transfer")
        let appKey = try #require(object["app_key"] as? [String: String])
        #expect(appKey["KEKLabel"] == "js-transfer")
        let wrapped = try #require(appKey["AESKey"])
        #expect(wrapped.count == 48 && wrapped == wrapped.uppercased())
        // The same envelope the Backend Interfaces would send for this key under this KEK.
        #expect(Hex.decode(wrapped) == KeyEnvelope(wrapping: F.appKey, under: Self.transferKEK).aesKey)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.uppercased().contains(F.appKeyHex) && !text.uppercased().contains(F.nwkKeyHex))
        #expect(try export().encoded() == bytes, "the same export is the same bytes")
        #expect(try !export(.legacy(appKey: F.appKey), version: .v1_0_3).encoded().contains(Array("nwk_key".utf8)))
    }

    @Test("keys that do not fit the MAC version are not exported")
    func keysMustFit() {
        #expect(throws: RootKeyExportError.rootKeysDoNotFit(devEUI: F.devEUI(9), .v1_0_3)) { try export(F.separateKeys, version: .v1_0_3) }
        #expect(throws: RootKeyExportError.rootKeysDoNotFit(devEUI: F.devEUI(9), .v1_1)) { try export(F.legacyKeys, version: .v1_1) }
    }

    @Test("an unknown KEK label and a wrong KEK are typed errors that name the label, not the key")
    func wrongKEK() throws {
        let exported = try export()
        #expect(throws: RootKeyUnwrapError.unknownKEKLabel("js-transfer")) { try exported.rootKeys(with: F.keks) }
        let impostor = LabeledKEK(label: "js-transfer", bytes: F.otherKEKBytes)!
        #expect(throws: RootKeyUnwrapError.integrityCheckFailed(.nwkKey, label: "js-transfer")) { try exported.rootKeys(with: KEKRing([impostor])) }
        expectNoLeak { try exported.rootKeys(with: KEKRing([impostor])) }
        expectNoLeak { try exported.rootKeys(with: F.keks) }
    }

    @Test("a tampered wrapped key does not unwrap")
    func tampered() throws {
        var text = String(decoding: try export(F.legacyKeys, version: .v1_0_3).encoded(), as: UTF8.self)
        let wrapped = Hex.encode(KeyEnvelope(wrapping: F.appKey, under: Self.transferKEK).aesKey, uppercase: true)
        let flipped = (wrapped.first == "0" ? "1" : "0") + wrapped.dropFirst()
        text = text.replacingOccurrences(of: wrapped, with: flipped)
        let imported = try RootKeyExport.decode(Array(text.utf8))
        #expect(throws: RootKeyUnwrapError.integrityCheckFailed(.appKey, label: "js-transfer")) {
            try imported.rootKeys(with: KEKRing([Self.transferKEK]))
        }
    }

    @Test("a malformed document names the member and repeats no key")
    func malformedDocuments() throws {
        let good = try JSONSerialization.jsonObject(with: Data(try export().encoded())) as! [String: Any]
        func decode(_ change: (inout [String: Any]) -> Void) throws -> RootKeyExport {
            var object = good
            change(&object)
            return try RootKeyExport.decode(Array(try! JSONSerialization.data(withJSONObject: object)))
        }
        func expectField(_ field: RootKeyExportField, _ problem: FieldProblem, _ change: (inout [String: Any]) -> Void) {
            #expect(throws: RootKeyExportError.invalidField(at: .document, field, problem)) { try decode(change) }
            expectNoLeak { try decode(change) }
        }
        expectField(.devEUI, .missing) { $0["dev_eui"] = nil }
        expectField(.devEUI, .notEUI64) { $0["dev_eui"] = F.appKeyHex }
        expectField(.joinEUI, .wrongJSONType) { $0["join_eui"] = 17 }
        expectField(.macVersion, .unknownMACVersion) { $0["mac_version"] = "2.0" }
        expectField(.kekLabel, .missing) { $0["kek_label"] = "" }
        expectField(.appKey, .missing) { $0["app_key"] = nil }
        expectField(.appKey, .wrongJSONType) { $0["app_key"] = F.wrappedAppKeyHex }
        expectField(.appKey, .labelDiffers) { $0["app_key"] = ["KEKLabel": "other", "AESKey": F.wrappedAppKeyHex] }
        expectField(.appKey, .labelDiffers) { $0["app_key"] = ["KEKLabel": "", "AESKey": F.appKeyHex] }
        expectField(.appKey, .notWrappedKey) { $0["app_key"] = ["KEKLabel": "js-transfer", "AESKey": F.appKeyHex] }
        expectField(.nwkKey, .missing) { $0["nwk_key"] = nil }
        expectField(.nwkKey, .notForMACVersion(.v1_0_4)) { $0["mac_version"] = "1.0.4" }
        #expect(throws: RootKeyExportError.malformedJSON) { try RootKeyExport.decode(Array("[1, 2]".utf8)) }
        #expect(throws: RootKeyExportError.malformedJSON) { try RootKeyExport.decode([]) }
        let huge = [UInt8](repeating: 0x20, count: RootKeyExport.maximumDocumentBytes + 1)
        #expect(throws: RootKeyExportError.tooLarge(bytes: huge.count, maximum: RootKeyExport.maximumDocumentBytes)) { try RootKeyExport.decode(huge) }
    }

    @Test("a batch of exports round-trips, and refuses duplicates and malformed devices by index")
    func batch() throws {
        let exports = try (0..<50).map { n in
            try n.isMultiple(of: 2)
                ? export(F.separateKeys, version: .v1_1, devEUI: F.devEUI(UInt64(n)))
                : export(F.legacyKeys, version: .v1_0_3, devEUI: F.devEUI(UInt64(n)))
        }
        let batch = RootKeyExportBatch(exports)
        let decoded = try RootKeyExportBatch.decode(batch.encoded())
        #expect(decoded == batch)
        let ring = KEKRing([Self.transferKEK])
        #expect(try decoded.exports.map { try $0.rootKeys(with: ring) } == exports.map { $0.isLegacy ? F.legacyKeys : F.separateKeys })

        let duplicated = RootKeyExportBatch(exports + [exports[3]])
        #expect(throws: RootKeyExportError.duplicateDevEUI(F.devEUI(3), first: .index(3), again: .index(50))) {
            try RootKeyExportBatch.decode(duplicated.encoded())
        }
        let broken = String(decoding: RootKeyExportBatch(Array(exports.prefix(3))).encoded(), as: UTF8.self)
            .replacingOccurrences(of: "\"1.0.3\"", with: "\"1.3\"")
        #expect(throws: RootKeyExportError.invalidField(at: .index(1), .macVersion, .unknownMACVersion)) {
            try RootKeyExportBatch.decode(Array(broken.utf8))
        }
        #expect(throws: RootKeyExportError.malformedJSON) { try RootKeyExportBatch.decode(exports[0].encoded()) }
        #expect(try RootKeyExportBatch.decode(Array(#"{"devices": []}"#.utf8)).exports.isEmpty)
        #expect("\(batch)" == "RootKeyExportBatch(50 devices)")
    }

    @Test("exports print without keys")
    func redacted() throws {
        let exported = try export()
        for text in ["\(exported)", String(reflecting: exported), "\(RootKeyExportBatch([exported]))"] {
            #expect(ProvisioningFixtures.leaksNothing(text), "\(text)")
            #expect(!text.contains(Hex.encode(exported.wrappedRootKeys.appKey.aesKey, uppercase: true)))
        }
    }
}

extension RootKeyExport {
    fileprivate var isLegacy: Bool { !macVersion.hasSeparateNetworkRootKey }
}
