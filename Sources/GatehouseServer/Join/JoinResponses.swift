import BackendInterfaces
import Foundation
import Hummingbird
import JoinServer
import LoRaWAN

/// Response bodies of the Join Server API. None carries a root key or a master key: a device shows where
/// its keys come from, never what they are. The only secrets ever sent are made for the caller and
/// shown once: a generated peer KEK and a peer certificate's private key.
struct JoinDeviceResponse: ResponseEncodable {
    var devEUI: String
    var joinEUI: String
    var macVersion: String
    /// `own`, `master_key` or `none` (the device cannot join until it has keys).
    var rootKeySource: String
    /// The master key the root keys are derived from, with `master_key`.
    var masterKey: String?
    var owner: String?
    /// Imported from a manufacturer's batch and not yet claimed.
    var claimable: Bool
    var homeNetID: String?
    var asID: String?
    /// When its root keys were exported to another Join Server: joins here are refused since.
    var transferredAt: Date?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case devEUI = "dev_eui", joinEUI = "join_eui", macVersion = "mac_version", rootKeySource = "root_key_source"
        case masterKey = "master_key", owner, claimable, homeNetID = "home_net_id", asID = "as_id"
        case transferredAt = "transferred_at", createdAt = "created_at"
    }

    init(_ summary: JoinDeviceSummary) {
        devEUI = summary.devEUI.description
        joinEUI = summary.joinEUI.description
        macVersion = summary.macVersion.rawValue
        switch summary.rootKeySource {
        case .own: rootKeySource = "own"
        case .masterKey(let name):
            rootKeySource = "master_key"
            masterKey = name
        case .none: rootKeySource = "none"
        }
        owner = summary.owner
        claimable = summary.claimable
        homeNetID = summary.homeNetID?.description
        asID = summary.applicationServerID?.rawValue
        transferredAt = summary.transferredAt
        createdAt = summary.createdAt
    }
}

struct JoinDeviceListResponse: ResponseEncodable {
    var devices: [JoinDeviceResponse]
    /// Pass as `after` for the next page; absent on the last page.
    var nextAfter: String?

    enum CodingKeys: String, CodingKey {
        case devices, nextAfter = "next_after"
    }
}

struct DeviceAuditEventResponse: ResponseEncodable {
    var id: Int64?
    var time: Date
    var actor: String
    var action: String
    var devEUI: String?
    var detail: String

    enum CodingKeys: String, CodingKey {
        case id, time, actor, action, devEUI = "dev_eui", detail
    }

    init(_ event: DeviceAuditEvent) {
        id = event.id
        time = event.time
        actor = event.actor
        action = event.action.rawValue
        devEUI = event.devEUI?.description
        detail = event.detail
    }
}

struct DeviceAuditListResponse: ResponseEncodable {
    var events: [DeviceAuditEventResponse]
}

/// The answer to an import of a batch or of transferred devices: all or nothing, so a count.
struct ImportedDevicesResponse: ResponseEncodable {
    var imported: Int
}

/// A master key by name and range; the key itself never leaves.
struct MasterKeyResponse: ResponseEncodable {
    var name: String
    var joinEUIFirst: String
    var joinEUILast: String

    enum CodingKeys: String, CodingKey {
        case name, joinEUIFirst = "join_eui_first", joinEUILast = "join_eui_last"
    }

    init(name: String, joinEUIs: ClosedRange<EUI64>) {
        self.name = name
        joinEUIFirst = joinEUIs.lowerBound.description
        joinEUILast = joinEUIs.upperBound.description
    }
}

struct MasterKeyListResponse: ResponseEncodable {
    var masterKeys: [MasterKeyResponse]

    enum CodingKeys: String, CodingKey {
        case masterKeys = "master_keys"
    }
}

/// A peer and the label of its KEK; the KEK itself never leaves, except once when generated.
struct PeerResponse: ResponseEncodable {
    var peer: String
    var kekLabel: String

    enum CodingKeys: String, CodingKey {
        case peer, kekLabel = "kek_label"
    }
}

struct PeerListResponse: ResponseEncodable {
    var peers: [PeerResponse]
}

/// The answer to `POST /join/peers`: with a generated KEK, the only time it is shown.
struct AddedPeerResponse: ResponseEncodable {
    var peer: String
    var kekLabel: String
    /// 32 hex digits, only when the Join Server generated it.
    var kek: String?
    var notice: String

    enum CodingKeys: String, CodingKey {
        case peer, kekLabel = "kek_label", kek, notice
    }
}

/// A peer's client certificate for the Backend Interfaces listener, with its key: shown once, stored nowhere.
struct PeerCertificateResponse: ResponseEncodable {
    var peer: String
    var serial: String
    var notAfter: Date
    var certificatePEM: String
    /// The issuing CA, which the listener's chain ends in below the root.
    var chainPEM: String
    /// The root CA: what the peer trusts for the Join Server's own certificate.
    var trustAnchorPEM: String
    var privateKeyPEM: String
    var notice: String

    enum CodingKeys: String, CodingKey {
        case peer, serial, notAfter = "not_after", certificatePEM = "certificate_pem", chainPEM = "chain_pem"
        case trustAnchorPEM = "trust_anchor_pem", privateKeyPEM = "private_key_pem", notice
    }
}
