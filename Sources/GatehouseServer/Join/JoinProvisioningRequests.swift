import BackendInterfaces
import Foundation
import JoinServer
import LoRaWAN

// Request bodies of manufacturer imports, claiming and transfers between Join Servers.

/// `POST /devices/import`: a manufacturer's batch file, as text, and the KEKs its keys are wrapped under.
struct ImportBatchRequest: Decodable {
    /// `json` or `csv`.
    var format: String
    /// The batch file's text.
    var data: String
    /// Used for this import only, never stored.
    var keks: [KEKBody]?

    /// Parses the batch; a malformed one throws `ManufacturerBatchError`, which names the record and field.
    func devices() throws -> [ManufacturerDevice] {
        switch format.lowercased() {
        case "json": return try ManufacturerBatch.parse(json: Array(data.utf8))
        case "csv": return try ManufacturerBatch.parse(csv: data)
        default: throw APIError.field("format", "use json or csv")
        }
    }
}

/// `POST /devices/claim`: the owner is the calling API key, never a member of the body.
struct ClaimDeviceRequest: Decodable {
    var devEUI: String
    var joinEUI: String
    var claimCode: String

    enum CodingKeys: String, CodingKey {
        case devEUI = "dev_eui", joinEUI = "join_eui", claimCode = "claim_code"
    }

    func code() throws -> ClaimCode {
        do { return try ClaimCode(parsing: claimCode) } catch { throw APIError.field("claim_code", error.description) }
    }
}

/// `POST /devices/{devEUI}/transfer`: the KEK the destination Join Server shares with us.
struct TransferDeviceRequest: Decodable {
    var kekLabel: String
    var kek: String

    enum CodingKeys: String, CodingKey {
        case kekLabel = "kek_label", kek
    }

    func labeledKEK() throws -> LabeledKEK {
        let label = try JoinFields.kekLabel(kekLabel, "kek_label")
        return try JoinFields.labeledKEK(label: label, key: kek, "kek")
    }
}

/// `POST /devices/transfers`: a root key export from another Join Server, one device or a batch.
struct ImportTransfersRequest: Decodable {
    /// The export document itself (a JSON object), or its text as a JSON string.
    var document: JSONValue
    var keks: [KEKBody]?
    var owner: String?

    /// The document's devices; a malformed one throws `RootKeyExportError`, which names the record and field.
    func exports() throws -> [RootKeyExport] {
        let bytes: [UInt8]
        let isBatch: Bool
        switch document {
        case .string(let text):
            bytes = Array(text.utf8)
            isBatch = (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)))?.member("devices") != nil
        case .object:
            bytes = document.encoded()
            isBatch = document.member("devices") != nil
        default:
            throw APIError.field("document", "must be the export document: a JSON object, or its text")
        }
        return isBatch ? try RootKeyExportBatch.decode(bytes).exports : [try RootKeyExport.decode(bytes)]
    }
}
