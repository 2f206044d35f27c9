import BackendInterfaces
import Crypto
import JoinServer
import LoRaWAN

// Request bodies of the Join Server's own keys: manufacturer master keys and the KEKs it shares with
// Network and Application Servers.

/// `POST /join/master-keys`.
struct AddMasterKeyRequest: Decodable {
    var name: String
    var joinEUIFirst: String
    var joinEUILast: String
    var key: String

    enum CodingKeys: String, CodingKey {
        case name, joinEUIFirst = "join_eui_first", joinEUILast = "join_eui_last", key
    }

    func masterKeyName() throws -> String { try JoinFields.masterKeyName(name, "name") }

    func joinEUIs() throws -> ClosedRange<EUI64> {
        let first = try JoinFields.eui(joinEUIFirst, "join_eui_first")
        let last = try JoinFields.eui(joinEUILast, "join_eui_last")
        guard first <= last else { throw APIError.field("join_eui_last", "must not be below join_eui_first") }
        return first...last
    }

    func masterKey() throws -> MasterKey { try JoinFields.key(key, "key") }
}

/// `POST /join/peers`: without `kek`, the Join Server makes one and shows it once.
struct AddPeerRequest: Decodable {
    var peer: String
    var kekLabel: String?
    var kek: String?

    enum CodingKeys: String, CodingKey {
        case peer, kekLabel = "kek_label", kek
    }

    func backendPeer() throws -> BackendPeer { try JoinFields.peer(peer, "peer") }

    /// The KEK to store, and its key bytes when it was generated here (to show once).
    func labeledKEK(for peer: BackendPeer) throws -> (kek: LabeledKEK, generated: [UInt8]?) {
        let label = try kekLabel.map { try JoinFields.kekLabel($0, "kek_label") } ?? peer.description
        if let kek { return (try JoinFields.labeledKEK(label: label, key: kek, "kek"), nil) }
        let bytes = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
        guard let generated = LabeledKEK(label: label, bytes: bytes) else {
            preconditionFailure("a generated 128-bit key with a checked label is a valid KEK")
        }
        return (generated, bytes)
    }
}

/// `POST /join/peers/{peer}/certificate`.
struct IssuePeerCertificateRequest: Decodable {
    static let defaultValidityDays = 365
    var validityDays: Int?

    enum CodingKeys: String, CodingKey {
        case validityDays = "validity_days"
    }
}
