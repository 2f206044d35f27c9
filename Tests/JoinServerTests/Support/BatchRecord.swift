import Foundation
import JoinServer

/// One device record as text fields, rendered as a CSV or a JSON batch, so the same malformed record is
/// checked in both formats.
struct BatchRecord: Sendable, CustomStringConvertible {
    var fields: [ManufacturerBatchField: String]

    /// A 1.1 device with both keys wrapped under the fixture KEK.
    static var valid: BatchRecord {
        BatchRecord(fields: [
            .devEUI: "\(ProvisioningFixtures.devEUI(7))", .joinEUI: "\(ProvisioningFixtures.joinEUI)", .macVersion: "1.1",
            .claimCode: ProvisioningFixtures.claimCodeText(7), .kekLabel: "mfr-2026",
            .appKey: ProvisioningFixtures.wrappedAppKeyHex, .nwkKey: ProvisioningFixtures.wrappedNwkKeyHex,
        ])
    }

    /// A 1.0.3 device without keys.
    static var keyless: BatchRecord {
        var record = valid
        record.fields[.macVersion] = "1.0.3"
        record.fields[.kekLabel] = nil
        record.fields[.appKey] = nil
        record.fields[.nwkKey] = nil
        return record
    }

    func with(_ field: ManufacturerBatchField, _ value: String?) -> BatchRecord {
        var copy = self
        copy.fields[field] = value
        return copy
    }

    /// Header with every column, then this record on line 2.
    var csv: String {
        let header = ManufacturerBatchField.allCases.map(\.rawValue).joined(separator: ",")
        return header + "\r\n" + csvRow + "\r\n"
    }

    /// The record as one CSV line, cells in `ManufacturerBatchField` order.
    var csvRow: String { ManufacturerBatchField.allCases.map { Self.csvCell(fields[$0] ?? "") }.joined(separator: ",") }

    /// `{"devices": [this record]}`, absent fields left out.
    var json: [UInt8] {
        let object = Dictionary(uniqueKeysWithValues: fields.map { ($0.key.rawValue, $0.value) })
        return Array(try! JSONEncoder().encode(["devices": [object]]))
    }

    static func csvCell(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    var description: String { fields.keys.map(\.rawValue).sorted().joined(separator: ",") }
}
