import JoinServer
import LoRaWAN
import Testing

@Suite("Manufacturer batch: CSV")
struct ManufacturerBatchCSVTests {
    typealias F = ProvisioningFixtures
    let header = "dev_eui,join_eui,mac_version,claim_code,kek_label,app_key,nwk_key"

    @Test("a valid batch gives its devices in order, with claim codes and wrapped keys")
    func valid() throws {
        let devices = try ManufacturerBatch.parse(csv: F.csv)
        #expect(devices.map(\.devEUI) == [F.devEUI(0), F.devEUI(1), F.devEUI(2)])
        #expect(devices.allSatisfy { $0.joinEUI == F.joinEUI })
        #expect(devices.map(\.macVersion) == [.v1_0_3, .v1_0_3, .v1_1])
        #expect(devices[0].claimCode == (try ClaimCode(parsing: F.claimCodeText(0))))
        #expect(devices[0].wrappedRootKeys == nil)
        #expect(try devices[0].rootKeys(unwrappingWith: F.keks) == nil)
        #expect(try devices[1].rootKeys(unwrappingWith: F.keks) == F.legacyKeys)
        #expect(try devices[2].rootKeys(unwrappingWith: F.keks) == F.separateKeys)
        #expect(devices[2].wrappedRootKeys?.kekLabel == "mfr-2026")
        #expect(devices[1].claimCodeHash == (try ClaimCode(parsing: F.claimCodeText(1))).hash(joinEUI: F.joinEUI, devEUI: F.devEUI(1)))
    }

    @Test("columns in any order and case, optional columns left out, CRLF, a BOM, blank lines and spaces")
    func tolerantLayout() throws {
        let text = "\u{FEFF}Claim_Code, MAC_VERSION ,dev_eui,join_eui\r\n\r\n"
            + "  \(F.claimCodeText(0)) , 1.0.2 ,\(F.devEUI(0).dashed),\(F.joinEUI)\r\n" + "   \r\n"
        let devices = try ManufacturerBatch.parse(csv: text)
        #expect(devices.count == 1)
        #expect(devices[0].devEUI == F.devEUI(0))
        #expect(devices[0].macVersion == .v1_0_2)
        #expect(devices[0].claimCode == (try ClaimCode(parsing: F.claimCodeText(0))))
    }

    @Test("a quoted claim code may hold commas and quotes")
    func quotedCells() throws {
        let code = #"a,b"c!d"#
        let text = "\(header)\n\(F.devEUI(0)),\(F.joinEUI),1.0.3,\"a,b\"\"c!d\"  ,,,\n"
        let devices = try ManufacturerBatch.parse(csv: text)
        #expect(devices.first?.claimCode == (try ClaimCode(parsing: code)))
    }

    @Test("a row that cannot be split into cells refuses the batch, naming line and column", arguments: [
        ("\(F.devEUI(0)),\(F.joinEUI),1.0.3,\(F.claimCodeText(0)),,", CSVRowProblem.wrongCellCount(expected: 7, actual: 6)),
        ("\(F.devEUI(0)),\(F.joinEUI),1.0.3,\(F.claimCodeText(0)),,,,", .wrongCellCount(expected: 7, actual: 8)),
        ("\(F.devEUI(0)),\(F.joinEUI),1.0.3,\"\(F.claimCodeText(0)),,,", .unterminatedQuote(column: 4)),
        ("\(F.devEUI(0)),\(F.joinEUI),1.0.3,\"\(F.claimCodeText(0))\"x,,,", .textAfterQuote(column: 4)),
        ("\(F.devEUI(0)),\(F.joinEUI),1.0.3,ab\"cdefg,,,", .quoteInUnquotedCell(column: 4)),
    ])
    func malformedRows(row: String, problem: CSVRowProblem) {
        let text = "\(header)\n\(F.devEUI(1)),\(F.joinEUI),1.0.3,\(F.claimCodeText(1)),,,\n\(row)\n"
        #expect(throws: ManufacturerBatchError.malformedRow(line: 3, problem)) { try ManufacturerBatch.parse(csv: text) }
        expectNoLeak { try ManufacturerBatch.parse(csv: text) }
    }

    @Test("a header with an unknown, repeated or missing column is refused")
    func headers() {
        let row = "\n\(F.devEUI(0)),\(F.joinEUI),1.0.3,\(F.claimCodeText(0))\n"
        #expect(throws: ManufacturerBatchError.unknownColumn(position: 3)) {
            try ManufacturerBatch.parse(csv: "dev_eui,join_eui,mac,claim_code" + row)
        }
        #expect(throws: ManufacturerBatchError.duplicateColumn(.devEUI)) {
            try ManufacturerBatch.parse(csv: "dev_eui,join_eui,dev_eui,claim_code" + row)
        }
        #expect(throws: ManufacturerBatchError.missingColumn(.macVersion)) {
            try ManufacturerBatch.parse(csv: "dev_eui,join_eui,claim_code" + "\n\(F.devEUI(0)),\(F.joinEUI),\(F.claimCodeText(0))\n")
        }
    }

    @Test("a file without its header refuses the batch without repeating the data it took for one")
    func missingHeader() {
        let text = F.csv.split(separator: "\n").dropFirst().joined(separator: "\n")
        #expect(throws: ManufacturerBatchError.unknownColumn(position: 1)) { try ManufacturerBatch.parse(csv: text) }
        expectNoLeak { try ManufacturerBatch.parse(csv: text) }
    }

    @Test("an empty file, or a header alone, is an empty batch", arguments: ["", "\n\n", "\u{FEFF}", "dev_eui,join_eui,mac_version,claim_code\r\n"])
    func empty(text: String) {
        #expect(throws: ManufacturerBatchError.empty) { try ManufacturerBatch.parse(csv: text) }
    }

    @Test("the same DevEUI twice refuses the batch, naming both lines")
    func duplicateDevEUI() {
        let text = F.csv + "\(F.devEUI(1).dashed),\(F.joinEUI),1.0.3,\(F.claimCodeText(5)),,,\n"
        #expect(throws: ManufacturerBatchError.duplicateDevEUI(F.devEUI(1), first: .line(3), again: .line(5))) {
            try ManufacturerBatch.parse(csv: text)
        }
    }

    @Test("one bad line anywhere refuses the whole batch (the first bad line is reported)")
    func allOrNothing() {
        let text = F.csv + "\(F.devEUI(3)),\(F.joinEUI),9.9,\(F.claimCodeText(3)),,,\n" + "\(F.devEUI(4)),nope,1.0.3,\(F.claimCodeText(4)),,,\n"
        #expect(throws: ManufacturerBatchError.invalidField(at: .line(5), .macVersion, .unknownMACVersion)) { try ManufacturerBatch.parse(csv: text) }
    }

    @Test("100,000 devices are accepted and 100,001 refused")
    func deviceLimit() throws {
        var text = "dev_eui,join_eui,mac_version,claim_code\n"
        text.reserveCapacity(6_000_000)
        for n in 0..<ManufacturerBatch.maximumDevices { text += "\(F.devEUI(UInt64(n))),\(F.joinEUI),1.0.3,code-\(n)\n" }
        #expect(try ManufacturerBatch.parse(csv: text).count == 100_000)
        text += "\(F.devEUI(200_000)),\(F.joinEUI),1.0.3,code-extra\n"
        #expect(throws: ManufacturerBatchError.tooManyDevices(maximum: 100_000)) { try ManufacturerBatch.parse(csv: text) }
    }

    @Test("a document over the size limit is refused before it is read")
    func sizeLimit() {
        let text = String(repeating: "x", count: ManufacturerBatch.maximumDocumentBytes + 1)
        #expect(throws: ManufacturerBatchError.tooLarge(bytes: ManufacturerBatch.maximumDocumentBytes + 1, maximum: ManufacturerBatch.maximumDocumentBytes)) {
            try ManufacturerBatch.parse(csv: text)
        }
    }
}
