import BackendInterfaces
import Foundation
import Hummingbird
import JoinServer
import LoRaWAN

/// Turns the Join API's text fields into typed values. Each failure is a 400 naming the field; a key's
/// or a KEK's text is never repeated, because the message goes back to the client and into the log.
enum JoinFields {
    /// Unlike the PKI's EUIs, the text is not repeated: a key pasted into the wrong member would be.
    static func eui(_ text: String, _ field: String) throws -> EUI64 {
        do { return try EUI64(parsing: text) } catch { throw APIError.field(field, "expected an EUI-64 (16 hex digits)") }
    }

    /// A 128-bit key as 32 hex digits (separators allowed, surrounding spaces ignored).
    static func key<Role>(_ text: String, _ field: String) throws -> AES128Key<Role> {
        guard let bytes = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines), count: 16), let key = AES128Key<Role>(bytes: bytes)
        else { throw APIError.field(field, "expected 32 hex digits") }
        return key
    }

    static func macVersion(_ text: String, _ field: String) throws -> MACVersion {
        guard let version = MACVersion(spelling: text) else {
            throw APIError.field(field, "use a LoRaWAN MAC version: \(MACVersion.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return version
    }

    static func netID(_ text: String, _ field: String) throws -> NetID {
        do { return try NetID(parsing: text) } catch { throw APIError.field(field, "expected a NetID of 6 hex digits") }
    }

    static func applicationServerID(_ text: String, _ field: String) throws -> ApplicationServerID {
        guard let id = ApplicationServerID(text) else {
            throw APIError.field(field, "expected 1 to 64 letters, digits, '.', '-' or '_'")
        }
        return id
    }

    static func peer(_ text: String, _ field: String) throws -> BackendPeer {
        guard let peer = BackendPeer(text) else {
            throw APIError.field(field, "use ns:<NetID, 6 hex digits> for a Network Server or as:<AS-ID> for an Application Server")
        }
        return peer
    }

    static func kekLabel(_ text: String, _ field: String) throws -> String {
        guard JoinNameRules.isValidKEKLabel(text) else { throw APIError.field(field, JoinNameRules.kekLabelRule) }
        return text
    }

    static func masterKeyName(_ text: String, _ field: String) throws -> String {
        guard JoinNameRules.isValidMasterKeyName(text) else { throw APIError.field(field, JoinNameRules.masterKeyNameRule) }
        return text
    }

    /// A KEK with its (already checked) label: 128 bits, the only size ChirpStack and Gatehouse use.
    static func labeledKEK(label: String, key: String, _ field: String) throws -> LabeledKEK {
        guard let bytes = Hex.decode(key.trimmingCharacters(in: .whitespacesAndNewlines), count: 16),
            let kek = LabeledKEK(label: label, bytes: bytes)
        else { throw APIError.field(field, "expected 32 hex digits") }
        return kek
    }

    /// The KEKs a batch or a transfer document is wrapped under; used for this request only, never stored.
    static func keks(_ bodies: [KEKBody]?, _ field: String) throws -> KEKRing {
        var keks: [LabeledKEK] = []
        for (index, body) in (bodies ?? []).enumerated() {
            let label = try kekLabel(body.label, "\(field)[\(index)].label")
            let kek = try labeledKEK(label: label, key: body.key, "\(field)[\(index)].key")
            guard !keks.contains(where: { $0.label == kek.label }) else { throw APIError.field("\(field)[\(index)].label", "the label appears twice") }
            keks.append(kek)
        }
        return KEKRing(keks)
    }

    /// Free text for people (an owner, a reason): one line, bounded.
    static func text(_ text: String, _ field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard JoinNameRules.isValidText(trimmed) else { throw APIError.field(field, JoinNameRules.textRule) }
        return trimmed
    }

    /// A positive count from the query string.
    static func count(_ text: String?, _ field: String, default value: Int) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), number > 0 else { throw APIError.field(field, "must be a positive number") }
        return number
    }

    /// The `{devEUI}` of a device route.
    static func devEUI(_ context: APIRequestContext) throws -> EUI64 {
        try eui(try pathParameter(context, "devEUI"), "devEUI")
    }

    /// A path parameter as sent: percent-decoded, since a peer (`ns:000031`) may arrive as `ns%3A000031`.
    static func pathParameter(_ context: APIRequestContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }
}

/// A key-encryption key in a request: `{"label": "...", "key": "<32 hex digits>"}`.
struct KEKBody: Decodable {
    var label: String
    var key: String
}
