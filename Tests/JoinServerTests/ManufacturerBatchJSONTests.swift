import Foundation
import JoinServer
import LoRaWAN
import Testing

@Suite("Manufacturer batch: JSON")
struct ManufacturerBatchJSONTests {
    typealias F = ProvisioningFixtures

    @Test("a valid batch gives the same devices as the CSV form")
    func valid() throws {
        let fromJSON = try ManufacturerBatch.parse(json: Array(F.json.utf8))
        #expect(fromJSON == (try ManufacturerBatch.parse(csv: F.csv)))
        #expect(try fromJSON[2].rootKeys(unwrappingWith: F.keks) == F.separateKeys)
    }

    @Test("null members are absent and extra top-level members are ignored")
    func nullsAndExtras() throws {
        let text = """
            {"batch": 17, "devices": [{"dev_eui": "\(F.devEUI(0))", "join_eui": "\(F.joinEUI)", "mac_version": "1.0.4",
              "claim_code": "\(F.claimCodeText(0))", "kek_label": null, "app_key": null, "nwk_key": null}]}
            """
        let devices = try ManufacturerBatch.parse(json: Array(text.utf8))
        #expect(devices.count == 1)
        #expect(devices[0].wrappedRootKeys == nil)
    }

    @Test("a document that is not an object with a devices array is refused", arguments: [
        "", "not json", "[]", "{}", #"{"devices": {}}"#, #"{"devices": "x"}"#, "{\"devices\": [", "null",
    ])
    func malformedDocument(text: String) {
        #expect(throws: ManufacturerBatchError.malformedJSON) { try ManufacturerBatch.parse(json: Array(text.utf8)) }
    }

    @Test("an entry that is not an object, an unknown member, or a member of the wrong type is refused with its index")
    func malformedEntries() {
        let good = #"{"dev_eui": "\#(F.devEUI(0))", "join_eui": "\#(F.joinEUI)", "mac_version": "1.0.3", "claim_code": "\#(F.claimCodeText(0))"}"#
        func parse(_ second: String) throws -> [ManufacturerDevice] {
            try ManufacturerBatch.parse(json: Array(#"{"devices": [\#(good), \#(second)]}"#.utf8))
        }
        #expect(throws: ManufacturerBatchError.notAnObject(at: .index(1))) { try parse("42") }
        #expect(throws: ManufacturerBatchError.notAnObject(at: .index(1))) { try parse("null") }
        #expect(throws: ManufacturerBatchError.notAnObject(at: .index(1))) { try parse(#"["\#(F.claimCodeText(1))"]"#) }
        #expect(throws: ManufacturerBatchError.unknownField(at: .index(1))) {
            try parse(good.replacingOccurrences(of: "}", with: #", "nwk_keys": "\#(F.wrappedNwkKeyHex)"}"#))
        }
        #expect(throws: ManufacturerBatchError.invalidField(at: .index(1), .devEUI, .wrongJSONType)) {
            try parse(good.replacingOccurrences(of: "\"\(F.devEUI(0))\"", with: "1234"))
        }
        #expect(throws: ManufacturerBatchError.invalidField(at: .index(1), .appKey, .wrongJSONType)) {
            try parse(good.replacingOccurrences(of: "}", with: #", "app_key": {"AESKey": "\#(F.wrappedAppKeyHex)"}}"#))
        }
        expectNoLeak { try parse(good.replacingOccurrences(of: "}", with: #", "\#(F.claimCodeText(1))": "\#(F.appKeyHex)"}"#)) }
    }

    @Test("an empty devices array is an empty batch")
    func empty() {
        #expect(throws: ManufacturerBatchError.empty) { try ManufacturerBatch.parse(json: Array(#"{"devices": []}"#.utf8)) }
    }

    @Test("the same DevEUI twice refuses the batch, naming both indexes")
    func duplicateDevEUI() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(F.json.utf8)) as? [String: [[String: String]]])
        object["devices"]!.append(object["devices"]![0])
        let bytes = Array(try JSONSerialization.data(withJSONObject: object))
        #expect(throws: ManufacturerBatchError.duplicateDevEUI(F.devEUI(0), first: .index(0), again: .index(3))) {
            try ManufacturerBatch.parse(json: bytes)
        }
    }

    @Test("100,001 devices are refused before any is checked")
    func deviceLimit() {
        let text = #"{"devices": ["# + Array(repeating: "{}", count: ManufacturerBatch.maximumDevices + 1).joined(separator: ",") + "]}"
        #expect(throws: ManufacturerBatchError.tooManyDevices(maximum: 100_000)) { try ManufacturerBatch.parse(json: Array(text.utf8)) }
    }

    @Test("a document over the size limit is refused before it is read")
    func sizeLimit() {
        let bytes = [UInt8](repeating: 0x20, count: ManufacturerBatch.maximumDocumentBytes + 1)
        #expect(throws: ManufacturerBatchError.tooLarge(bytes: bytes.count, maximum: ManufacturerBatch.maximumDocumentBytes)) {
            try ManufacturerBatch.parse(json: bytes)
        }
    }
}
