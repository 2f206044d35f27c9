import BackendInterfaces
import Foundation
import LoRaWAN

extension RootKeyExport {
    /// The largest single-device document accepted: a real one is under 400 bytes.
    public static let maximumDocumentBytes = 16 << 10

    /// The JSON document (members in sorted order, so the same export is always the same bytes).
    public func encoded() -> [UInt8] { RootKeyExportJSON.encode(ExportRecord(self)) }

    /// Reads a document `encoded()` wrote. Members other than the known ones are ignored, so a newer
    /// Join Server may add some; every known member is checked.
    public static func decode(_ bytes: [UInt8]) throws(RootKeyExportError) -> RootKeyExport {
        guard bytes.count <= maximumDocumentBytes else { throw .tooLarge(bytes: bytes.count, maximum: maximumDocumentBytes) }
        guard let record = try? JSONDecoder().decode(ImportRecord.self, from: Data(bytes)) else { throw .malformedJSON }
        return try RootKeyExport(record, at: .document)
    }

    /// Checks one decoded record, the first problem first in member order.
    init(_ record: ImportRecord, at location: RecordLocation) throws(RootKeyExportError) {
        func fail(_ field: RootKeyExportField, _ problem: FieldProblem) -> RootKeyExportError {
            .invalidField(at: location, field, problem)
        }
        let text: [RootKeyExportField: String]
        let envelopes: [RootKeyExportField: ImportRecord.Envelope]
        switch record {
        case .wrongType(let field): throw fail(field, .wrongJSONType)
        case .members(let members, let wrapped): (text, envelopes) = (members, wrapped)
        }
        func required(_ field: RootKeyExportField) throws(RootKeyExportError) -> String {
            guard let value = text[field], !value.isEmpty else { throw fail(field, .missing) }
            return value
        }
        let devEUIText = try required(.devEUI)
        guard let devEUI = try? EUI64(parsing: devEUIText) else { throw fail(.devEUI, .notEUI64) }
        let joinEUIText = try required(.joinEUI)
        guard let joinEUI = try? EUI64(parsing: joinEUIText) else { throw fail(.joinEUI, .notEUI64) }
        guard let macVersion = MACVersion(spelling: try required(.macVersion)) else { throw fail(.macVersion, .unknownMACVersion) }
        let label = try required(.kekLabel)
        guard KEKLabelRule.isValid(label) else { throw fail(.kekLabel, .invalidKEKLabel) }

        func envelope(_ field: RootKeyExportField) throws(RootKeyExportError) -> KeyEnvelope {
            guard let envelope = envelopes[field] else { throw fail(field, .missing) }
            guard envelope.label == label else { throw fail(field, .labelDiffers) }
            guard let wrapped = envelope.aesKey.flatMap({ Hex.decode($0, count: WrappedRootKeys.wrappedKeyLength) }) else {
                throw fail(field, .notWrappedKey)
            }
            return KeyEnvelope(kekLabel: label, aesKey: wrapped)
        }
        let appKey = try envelope(.appKey)
        let wrapped: WrappedRootKeys
        if macVersion.hasSeparateNetworkRootKey {
            wrapped = .separate(nwkKey: try envelope(.nwkKey), appKey: appKey)
        } else {
            guard envelopes[.nwkKey] == nil else { throw fail(.nwkKey, .notForMACVersion(macVersion)) }
            wrapped = .legacy(appKey: appKey)
        }
        self.init(devEUI: devEUI, joinEUI: joinEUI, macVersion: macVersion, wrappedRootKeys: wrapped)
    }
}

/// The document as written: plain strings and envelopes, members in a fixed order.
struct ExportRecord: Encodable {
    struct Envelope: Encodable {
        var kekLabel: String
        var aesKey: String
        enum CodingKeys: String, CodingKey {
            case kekLabel = "KEKLabel"
            case aesKey = "AESKey"
        }
        init(_ envelope: KeyEnvelope) {
            kekLabel = envelope.kekLabel
            aesKey = Hex.encode(envelope.aesKey, uppercase: true)
        }
    }

    var devEUI: String
    var joinEUI: String
    var macVersion: String
    var kekLabel: String
    var appKey: Envelope
    var nwkKey: Envelope?

    enum CodingKeys: String, CodingKey {
        case devEUI = "dev_eui", joinEUI = "join_eui", macVersion = "mac_version", kekLabel = "kek_label"
        case appKey = "app_key", nwkKey = "nwk_key"
    }

    init(_ export: RootKeyExport) {
        devEUI = export.devEUI.description
        joinEUI = export.joinEUI.description
        macVersion = export.macVersion.rawValue
        kekLabel = export.kekLabel
        appKey = Envelope(export.wrappedRootKeys.appKey)
        nwkKey = export.wrappedRootKeys.nwkKey.map(Envelope.init)
    }
}

/// The document as read, decoded without throwing on a member's type so that the problem is reported
/// with its field rather than as "not JSON".
enum ImportRecord: Decodable {
    struct Envelope {
        var label: String?
        var aesKey: String?
    }

    case members(text: [RootKeyExportField: String], envelopes: [RootKeyExportField: Envelope])
    /// The first member, in `RootKeyExportField` order, of the wrong JSON type.
    case wrongType(RootKeyExportField)

    private static let envelopeFields: Set<RootKeyExportField> = [.appKey, .nwkKey]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MemberName.self)
        var text: [RootKeyExportField: String] = [:]
        var envelopes: [RootKeyExportField: Envelope] = [:]
        var wrongTypes: Set<RootKeyExportField> = []
        for field in RootKeyExportField.allCases {
            let key = MemberName(field.rawValue)
            guard container.contains(key), (try? container.decodeNil(forKey: key)) != true else { continue }
            if Self.envelopeFields.contains(field) {
                guard let members = try? container.nestedContainer(keyedBy: MemberName.self, forKey: key),
                    let envelope = Self.envelope(members)
                else {
                    wrongTypes.insert(field)
                    continue
                }
                envelopes[field] = envelope
            } else if let value = try? container.decode(String.self, forKey: key) {
                text[field] = value
            } else {
                wrongTypes.insert(field)
            }
        }
        if let field = RootKeyExportField.allCases.first(where: wrongTypes.contains) {
            self = .wrongType(field)
        } else {
            self = .members(text: text, envelopes: envelopes)
        }
    }

    /// `nil` when `KEKLabel` or `AESKey` is there but not a string.
    private static func envelope(_ members: KeyedDecodingContainer<MemberName>) -> Envelope? {
        func string(_ name: String) -> String?? {
            let key = MemberName(name)
            guard members.contains(key), (try? members.decodeNil(forKey: key)) != true else { return .some(nil) }
            guard let value = try? members.decode(String.self, forKey: key) else { return nil }
            return .some(value)
        }
        guard let label = string("KEKLabel"), let aesKey = string("AESKey") else { return nil }
        return Envelope(label: label, aesKey: aesKey)
    }
}

/// Sorted members and unescaped slashes: the same value always gives the same bytes.
enum RootKeyExportJSON {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            preconditionFailure("encoding strings to JSON cannot fail: \(error)")
        }
    }
}
