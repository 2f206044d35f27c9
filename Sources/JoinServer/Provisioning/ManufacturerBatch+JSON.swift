import Foundation

extension ManufacturerBatch {
    /// Parses `{"devices": [...]}`. Members of the top-level object other than `devices` are ignored
    /// (a manufacturer may add a batch number); members of a device object must be known fields, so a
    /// misspelt `nwk_keys` is refused rather than silently dropping a key. A `null` member is absent.
    public static func parse(json bytes: [UInt8]) throws(ManufacturerBatchError) -> [ManufacturerDevice] {
        guard bytes.count <= maximumDocumentBytes else { throw .tooLarge(bytes: bytes.count, maximum: maximumDocumentBytes) }
        let document: JSONDocument
        do {
            document = try JSONDecoder().decode(JSONDocument.self, from: Data(bytes))
        } catch {
            // Only the document's shape can fail here: device objects decode leniently and are judged
            // below, in order, so the first bad device is the one reported.
            throw .malformedJSON
        }
        guard document.devices.count <= maximumDevices else { throw .tooManyDevices(maximum: maximumDevices) }
        guard !document.devices.isEmpty else { throw .empty }
        var collector = BatchCollector<ManufacturerDevice>(expectedCount: document.devices.count)
        for (index, entry) in document.devices.enumerated() {
            let location = RecordLocation.index(index)
            let fields: [ManufacturerBatchField: String]
            switch entry {
            case .notAnObject: throw .notAnObject(at: location)
            case .unknownField: throw .unknownField(at: location)
            case .wrongType(let field): throw .invalidField(at: location, field, .wrongJSONType)
            case .fields(let values): fields = values
            }
            let device = try ManufacturerDevice(fields: fields, at: location)
            if let first = collector.append(device, devEUI: device.devEUI, at: location) {
                throw .duplicateDevEUI(device.devEUI, first: first, again: location)
            }
        }
        return collector.records
    }

    private struct JSONDocument: Decodable {
        var devices: [JSONDeviceEntry]
    }

    /// One element of `devices`, decoded without throwing so that its problems are reported in order
    /// with the checks on its values.
    private enum JSONDeviceEntry: Decodable {
        case fields([ManufacturerBatchField: String])
        case notAnObject
        case unknownField
        /// The first field, in `ManufacturerBatchField` order, whose value is not a string.
        case wrongType(ManufacturerBatchField)

        init(from decoder: any Decoder) throws {
            guard let container = try? decoder.container(keyedBy: MemberName.self) else {
                self = .notAnObject
                return
            }
            var fields: [ManufacturerBatchField: String] = [:]
            var wrongTypes: Set<ManufacturerBatchField> = []
            var hasUnknownMember = false
            for key in container.allKeys {
                guard let field = ManufacturerBatchField(rawValue: key.stringValue) else {
                    hasUnknownMember = true
                    continue
                }
                if (try? container.decodeNil(forKey: key)) == true { continue }
                guard let text = try? container.decode(String.self, forKey: key) else {
                    wrongTypes.insert(field)
                    continue
                }
                fields[field] = text
            }
            // `allKeys` has no stable order, so the verdict is chosen by a fixed rule.
            if hasUnknownMember {
                self = .unknownField
            } else if let field = ManufacturerBatchField.allCases.first(where: wrongTypes.contains) {
                self = .wrongType(field)
            } else {
                self = .fields(fields)
            }
        }
    }

}
