import JoinServer
import LoRaWAN
import Testing

/// Random and mutated input must give a value or a typed error, never a crash (DESIGN.md invariant 8),
/// and no error may repeat a secret from the document it came from.
@Suite("Provisioning parsers under random input")
struct ParserFuzzTests {
    typealias F = ProvisioningFixtures

    @Test("random bytes never crash the JSON parsers")
    func randomJSON() {
        var random = SeededGenerator(seed: 0xF0A2)
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...300, using: &random)
            let bytes = random.bytes(count)
            _ = try? ManufacturerBatch.parse(json: bytes)
            _ = try? RootKeyExport.decode(bytes)
            _ = try? RootKeyExportBatch.decode(bytes)
        }
    }

    @Test("random text never crashes the CSV parser")
    func randomCSV() {
        var random = SeededGenerator(seed: 0xC5F)
        let alphabet = Array(#"0123456789ABCDEFabcdef,,,"" \r\n\n-:.é\#u{0}\#u{FEFF}"#)
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...300, using: &random)
            let text = String((0..<count).map { _ in alphabet.randomElement(using: &random)! })
            _ = try? ManufacturerBatch.parse(csv: text)
            let raw = random.bytes(count)
            _ = try? ManufacturerBatch.parse(csv: String(decoding: raw, as: UTF8.self))
        }
    }

    @Test("mutated valid documents never crash and their errors leak no secret")
    func mutatedDocuments() throws {
        var random = SeededGenerator(seed: 0xB47C4)
        let export = try RootKeyExport.export(devEUI: F.devEUI(1), joinEUI: F.joinEUI, macVersion: .v1_1, rootKeys: F.separateKeys, under: F.kek)
        let seeds: [[UInt8]] = [Array(F.json.utf8), Array(F.csv.utf8), export.encoded(), RootKeyExportBatch([export]).encoded()]
        let structural = Array(#"{}[]",:"0 \n"#.utf8)
        for _ in 0..<4_000 {
            var bytes = seeds.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.insert(structural.randomElement(using: &random)!, at: index)
                case 2: bytes.remove(at: index)
                default: bytes.removeSubrange(index...)
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            for error in Self.errors(parsing: bytes) {
                #expect(F.leaksNothing(error), "\(error)")
            }
        }
    }

    @Test("deep nesting and huge numbers are refused, not crashed on")
    func pathologicalJSON() {
        let deep = [UInt8](repeating: 0x5B, count: 100_000) + [UInt8](repeating: 0x5D, count: 100_000)
        let deepObject = Array((String(repeating: #"{"devices":"#, count: 20_000) + "1" + String(repeating: "}", count: 20_000)).utf8)
        let number = Array(#"{"devices": [1e99999999, -0.0000000000000000000000001e-999999]}"#.utf8)
        for bytes in [deep, deepObject, number] {
            #expect(!Self.errors(parsing: bytes).isEmpty)
        }
    }

    /// Every parser's error descriptions for `bytes` (as JSON, and as CSV text).
    static func errors(parsing bytes: [UInt8]) -> [String] {
        var errors: [String] = []
        func record(_ body: () throws -> Void) {
            do { try body() } catch { errors += ["\(error)", String(reflecting: error)] }
        }
        record { _ = try ManufacturerBatch.parse(json: bytes) }
        record { _ = try ManufacturerBatch.parse(csv: String(decoding: bytes, as: UTF8.self)) }
        record { _ = try RootKeyExport.decode(bytes) }
        record { _ = try RootKeyExportBatch.decode(bytes) }
        return errors
    }
}
