import BackendInterfaces
import Foundation
import JoinServer
import LoRaWAN
import SQLKit

/// The `join_devices` table's record columns and row mapping, and how root keys are sealed into it.
enum JoinDeviceRows {
    static let table = "join_devices"

    /// The record's columns (not the nonce state), for `SELECT`, `INSERT` and `RETURNING` alike.
    static let columns = SQLQueryString("""
        dev_eui, join_eui, mac_version, root_keys_sealed, root_keys_kek_id, owner, claim_code_hash, home_net_id, as_id, \
        transferred_at, created_at
        """)

    /// A device's values for `columns`, in order, with its root keys already sealed.
    static func values(_ device: JoinDevice, sealed: SealedSecret?) -> SQLQueryString {
        """
        (\(bind: device.devEUI.description), \(bind: device.joinEUI.description), \(bind: device.macVersion.rawValue), \
        \(bind: sealed.map { Data($0.box) }), \(bind: sealed?.keyID), \(bind: device.owner), \(bind: device.claimCodeHash.map { Data($0) }), \
        \(bind: device.homeNetID?.description), \(bind: device.applicationServerID?.rawValue), \
        \(bind: device.transferredAt.map(StoredTime.microseconds)), \(bind: StoredTime.microseconds(device.createdAt)))
        """
    }

    /// Seals the device's root keys (if any) for its row. Done before a transaction starts, so the write
    /// lock is held only for the statements.
    static func seal(_ device: JoinDevice, with sealer: SecretSealer) throws -> SealedSecret? {
        try device.rootKeys.map { try sealer.seal(plaintext($0), for: SealedColumn.deviceRootKeys.binding(row: device.devEUI.description)) }
    }

    /// AppKey alone (16 bytes) for 1.0.x keys; NwkKey then AppKey (32 bytes) for 1.1 keys. The length
    /// says which, and the seal authenticates the length.
    static func plaintext(_ keys: RootKeys) -> [UInt8] {
        switch keys {
        case .legacy(let appKey): appKey.exportBytes()
        case .separate(let nwkKey, let appKey): nwkKey.exportBytes() + appKey.exportBytes()
        }
    }

    static func rootKeys(_ plaintext: [UInt8]) throws(StorageError) -> RootKeys {
        switch plaintext.count {
        case 16:
            if let appKey = AppKey(bytes: plaintext) { return .legacy(appKey: appKey) }
        case 32:
            if let nwkKey = NwkKey(bytes: plaintext.prefix(16)), let appKey = AppKey(bytes: plaintext.suffix(16)) {
                return .separate(nwkKey: nwkKey, appKey: appKey)
            }
        default:
            break
        }
        throw .malformedRow(table: table, column: "root_keys_sealed", reason: "not 16 or 32 bytes of root keys")
    }

    /// A row as read, before its root keys are opened (which happens outside the connection's lease).
    struct Stored: Sendable {
        var device: JoinDevice
        let sealedRootKeys: SealedSecret?

        init(_ row: any SQLRow) throws {
            let versionText = try row.text("mac_version", table: table)
            guard let macVersion = MACVersion(rawValue: versionText) else {
                throw StorageError.malformedRow(table: table, column: "mac_version", reason: "unknown MAC version '\(versionText)'")
            }
            var applicationServerID: ApplicationServerID?
            if let text = try row.optionalText("as_id", table: table) {
                guard let id = ApplicationServerID(text) else {
                    throw StorageError.malformedRow(table: table, column: "as_id", reason: "not an AS-ID")
                }
                applicationServerID = id
            }
            device = JoinDevice(
                devEUI: try row.eui("dev_eui", table: table),
                joinEUI: try row.eui("join_eui", table: table),
                macVersion: macVersion,
                rootKeys: nil,
                owner: try row.optionalText("owner", table: table),
                claimCodeHash: try row.optionalBytes("claim_code_hash", table: table),
                homeNetID: try row.optionalNetID("home_net_id", table: table),
                applicationServerID: applicationServerID,
                transferredAt: try row.optionalTime("transferred_at", table: table),
                createdAt: try row.time("created_at", table: table)
            )
            if let box = try row.optionalBytes("root_keys_sealed", table: table) {
                sealedRootKeys = SealedSecret(keyID: try row.text("root_keys_kek_id", table: table), box: box)
            } else {
                sealedRootKeys = nil
            }
        }

        func record(opening sealer: SecretSealer) throws -> JoinDevice {
            var device = device
            if let sealedRootKeys {
                let binding = SealedColumn.deviceRootKeys.binding(row: device.devEUI.description)
                device.rootKeys = try JoinDeviceRows.rootKeys(try sealer.open(sealedRootKeys, for: binding))
            }
            return device
        }
    }
}

extension SQLRow {
    func netID(_ column: String, table: String) throws -> NetID {
        let text = try text(column, table: table)
        guard let netID = try? NetID(parsing: text) else {
            throw StorageError.malformedRow(table: table, column: column, reason: "not a NetID")
        }
        return netID
    }

    func optionalNetID(_ column: String, table: String) throws -> NetID? {
        try decodeNil(column: column) ? nil : netID(column, table: table)
    }
}
