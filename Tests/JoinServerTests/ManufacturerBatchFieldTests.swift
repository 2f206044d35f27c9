import JoinServer
import LoRaWAN
import Testing

/// Each kind of malformed record, in both formats: the batch is refused with the record's place, the
/// field and the problem, and the message repeats no key and no claim code.
@Suite("Manufacturer batch: malformed records")
struct ManufacturerBatchFieldTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var record: BatchRecord
        var field: ManufacturerBatchField
        var problem: FieldProblem
        var testDescription: String { name }
    }

    static let fixtures = ProvisioningFixtures.self
    static let cases: [Case] = [
        Case(name: "no DevEUI", record: .valid.with(.devEUI, nil), field: .devEUI, problem: .missing),
        Case(name: "an empty DevEUI", record: .valid.with(.devEUI, ""), field: .devEUI, problem: .missing),
        Case(name: "a 14-digit DevEUI", record: .valid.with(.devEUI, "0004A30B001C05"), field: .devEUI, problem: .notEUI64),
        Case(name: "a claim code in the DevEUI column", record: .valid.with(.devEUI, fixtures.claimCodeText(3)), field: .devEUI, problem: .notEUI64),
        Case(name: "a key in the DevEUI column", record: .valid.with(.devEUI, fixtures.appKeyHex), field: .devEUI, problem: .notEUI64),
        Case(name: "a JoinEUI that is not hex", record: .valid.with(.joinEUI, "70B3D57ED00000ZZ"), field: .joinEUI, problem: .notEUI64),
        Case(name: "no MAC version", record: .valid.with(.macVersion, nil), field: .macVersion, problem: .missing),
        Case(name: "MAC version 1.2", record: .valid.with(.macVersion, "1.2"), field: .macVersion, problem: .unknownMACVersion),
        Case(name: "no claim code", record: .valid.with(.claimCode, nil), field: .claimCode, problem: .missing),
        Case(name: "a short claim code", record: .valid.with(.claimCode, "Qz-12"), field: .claimCode, problem: .invalidClaimCode(.length(5))),
        Case(
            name: "a claim code with a space", record: .valid.with(.claimCode, "Qz-1 wrx!PLM"), field: .claimCode,
            problem: .invalidClaimCode(.invalidCharacter(position: 5))),
        Case(
            name: "a key where the wrapped AppKey goes", record: .valid.with(.appKey, fixtures.appKeyHex), field: .appKey,
            problem: .notWrappedKey),
        Case(name: "a wrapped NwkKey that is not hex", record: .valid.with(.nwkKey, String(repeating: "G", count: 48)), field: .nwkKey, problem: .notWrappedKey),
        Case(name: "keys without a KEK label", record: .valid.with(.kekLabel, nil), field: .appKey, problem: .withoutKEKLabel),
        Case(
            name: "a KEK label without keys", record: .keyless.with(.kekLabel, "mfr-2026"), field: .kekLabel,
            problem: .withoutWrappedKeys),
        Case(name: "a KEK label of 65 characters", record: .valid.with(.kekLabel, String(repeating: "k", count: 65)), field: .kekLabel, problem: .invalidKEKLabel),
        Case(
            name: "an NwkKey for a 1.0.3 device", record: .valid.with(.macVersion, "1.0.3"), field: .nwkKey,
            problem: .notForMACVersion(.v1_0_3)),
        Case(
            name: "a 1.1 device with an AppKey only", record: .valid.with(.nwkKey, nil), field: .nwkKey,
            problem: .requiredForMACVersion(.v1_1)),
        Case(
            name: "a 1.1 device with an NwkKey only", record: .valid.with(.appKey, nil), field: .appKey,
            problem: .requiredForMACVersion(.v1_1)),
    ]

    @Test("a malformed CSV record refuses the batch, naming line and field", arguments: cases)
    func csv(_ c: Case) {
        let batch = ManufacturerBatch.self
        let text = "dev_eui,join_eui,mac_version,claim_code,kek_label,app_key,nwk_key\n" + Self.goodCSVRow + "\n"
            + c.record.csvRow + "\n"
        #expect(throws: ManufacturerBatchError.invalidField(at: .line(3), c.field, c.problem)) { try batch.parse(csv: text) }
        expectNoLeak { try batch.parse(csv: text) }
    }

    @Test("a malformed JSON record refuses the batch, naming index and field", arguments: cases)
    func json(_ c: Case) {
        #expect(throws: ManufacturerBatchError.invalidField(at: .index(0), c.field, c.problem)) { try ManufacturerBatch.parse(json: c.record.json) }
        expectNoLeak { try ManufacturerBatch.parse(json: c.record.json) }
    }

    @Test("the records these cases start from are valid")
    func baseRecordsAreValid() throws {
        #expect(try ManufacturerBatch.parse(csv: BatchRecord.valid.csv).count == 1)
        #expect(try ManufacturerBatch.parse(json: BatchRecord.valid.json).count == 1)
        #expect(try ManufacturerBatch.parse(csv: BatchRecord.keyless.csv).first?.wrappedRootKeys == nil)
        #expect(try ManufacturerBatch.parse(json: BatchRecord.keyless.json).first?.wrappedRootKeys == nil)
    }

    static var goodCSVRow: String {
        "\(fixtures.devEUI(1)),\(fixtures.joinEUI),1.0.3,\(fixtures.claimCodeText(1)),,,"
    }
}

/// Expects `body` to throw, and its error's description and reflection to hold no fixture secret.
func expectNoLeak<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try body()
        Issue.record("expected an error", sourceLocation: sourceLocation)
    } catch {
        for text in ["\(error)", String(reflecting: error)] {
            #expect(ProvisioningFixtures.leaksNothing(text), "leaks a secret: \(text)", sourceLocation: sourceLocation)
        }
    }
}
