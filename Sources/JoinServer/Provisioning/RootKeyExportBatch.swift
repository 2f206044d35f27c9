import Foundation
import LoRaWAN

/// Many devices' root key exports in one document, for moving a fleet to another Join Server:
/// `{"devices": [<RootKeyExport>, ...]}`. Like a manufacturer batch it is read all or nothing, with
/// the same limits, and the same DevEUI twice is refused.
public struct RootKeyExportBatch: Sendable, Hashable, CustomStringConvertible {
    public var exports: [RootKeyExport]

    public init(_ exports: [RootKeyExport]) { self.exports = exports }

    /// The most devices one document may hold (as for a manufacturer batch).
    public static let maximumDevices = ManufacturerBatch.maximumDevices
    public static let maximumDocumentBytes = ManufacturerBatch.maximumDocumentBytes

    public func encoded() -> [UInt8] { RootKeyExportJSON.encode(Document(devices: exports.map(ExportRecord.init))) }

    /// Reads a document `encoded()` wrote; errors name the device by its index in `devices`. An empty
    /// `devices` array is accepted, since exporting an empty selection writes one.
    public static func decode(_ bytes: [UInt8]) throws(RootKeyExportError) -> RootKeyExportBatch {
        guard bytes.count <= maximumDocumentBytes else { throw .tooLarge(bytes: bytes.count, maximum: maximumDocumentBytes) }
        guard let document = try? JSONDecoder().decode(ImportDocument.self, from: Data(bytes)) else { throw .malformedJSON }
        guard document.devices.count <= maximumDevices else { throw .tooManyDevices(maximum: maximumDevices) }
        var collector = BatchCollector<RootKeyExport>(expectedCount: document.devices.count)
        for (index, record) in document.devices.enumerated() {
            let location = RecordLocation.index(index)
            let export = try RootKeyExport(record, at: location)
            if let first = collector.append(export, devEUI: export.devEUI, at: location) {
                throw .duplicateDevEUI(export.devEUI, first: first, again: location)
            }
        }
        return RootKeyExportBatch(collector.records)
    }

    public var description: String { "RootKeyExportBatch(\(exports.count) devices)" }

    private struct Document: Encodable {
        var devices: [ExportRecord]
    }

    private struct ImportDocument: Decodable {
        var devices: [ImportRecord]
    }
}
