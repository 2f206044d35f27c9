import Foundation
import LoRaWAN
import NetworkServer
import SQLKit

/// The `ns_sessions` table's columns and row mapping, and how the network session keys are sealed into it.
enum NetworkSessionRows {
    static let table = "ns_sessions"

    /// Every column, for `SELECT` and `INSERT` alike.
    static let columns = SQLQueryString("""
        dev_eui, dev_addr, mac_version, region, activation, session_key_id, keys_sealed, keys_kek_id, f_opts_variant, \
        f_cnt_up, last_confirmed_uplink_fcnt, last_confirmed_downlink_fcnt, f_cnt_down, n_f_cnt_down, a_f_cnt_down, \
        adr_enabled, data_rate, adr_history, pending_confirmed_downlink_id, mac_state
        """)

    /// The columns an `INSERT ... ON CONFLICT (dev_eui) DO UPDATE` replaces: all but the key.
    static let replacedColumns = [
        "dev_addr", "mac_version", "region", "activation", "session_key_id", "keys_sealed", "keys_kek_id", "f_opts_variant",
        "f_cnt_up", "last_confirmed_uplink_fcnt", "last_confirmed_downlink_fcnt", "f_cnt_down", "n_f_cnt_down", "a_f_cnt_down",
        "adr_enabled", "data_rate", "adr_history", "pending_confirmed_downlink_id", "mac_state",
    ]

    /// `column = excluded.column` for every replaced column, written once: sql-kit's identifier
    /// quoting per column and per statement cost more than the rest of an activation's SQL.
    static let replacedOnConflict = SQLQueryString(replacedColumns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))

    /// A session's values for `columns`, in order, with its keys already sealed.
    static func values(_ session: NetworkSession, sealed: SealedSecret) -> SQLQueryString {
        let counters = DownlinkCounterColumns(session.downlinkCounters)
        return """
            (\(bind: session.devEUI.description), \(bind: Int64(session.devAddr.rawValue)), \(bind: session.macVersion.rawValue), \
            \(bind: session.region.rawValue), \(bind: session.activation.rawValue), \(bind: Data(session.sessionKeyID)), \
            \(bind: Data(sealed.box)), \(bind: sealed.keyID), \(bind: fOptsVariant(session.keys)?.rawValue), \
            \(bind: session.fCntUp.map(Int64.init)), \(bind: session.lastConfirmedUplinkFCnt.map(Int64.init)), \
            \(bind: session.lastConfirmedDownlinkFCnt.map(Int64.init)), \(bind: counters.fCntDown), \(bind: counters.nFCntDown), \
            \(bind: counters.aFCntDown), \(bind: Int64(session.adrEnabled ? 1 : 0)), \(bind: Int64(session.macSettings.dataRate.rawValue)), \
            \(bind: Data(ADRHistoryDocument.encode(session.adrHistory))), \(bind: session.pendingConfirmedDownlinkID.map(StoredUUID.data)), \
            \(bind: Data(NetworkSessionDocument(session).encoded())))
            """
    }

    /// The downlink counters as the three nullable columns.
    struct DownlinkCounterColumns {
        var fCntDown: Int64?
        var nFCntDown: Int64?
        var aFCntDown: Int64?

        init(_ counters: DownlinkFrameCounters) {
            switch counters {
            case .shared(let shared): fCntDown = Int64(shared)
            case .separate(let network, let application):
                nFCntDown = Int64(network)
                aFCntDown = Int64(application)
            }
        }
    }

    // MARK: Keys

    /// Seals the session's keys for its row. Done before a transaction starts, so the write lock is
    /// held only for the statements.
    static func seal(_ session: NetworkSession, with sealer: SecretSealer) throws -> SealedSecret {
        try sealer.seal(plaintext(session.keys), for: SealedColumn.networkSessionKeys.binding(row: session.devEUI.description))
    }

    /// NwkSKey alone (16 bytes) for 1.0.x; FNwkSIntKey, SNwkSIntKey then NwkSEncKey (48 bytes) for 1.1.
    /// The length says which, and the seal authenticates the length.
    static func plaintext(_ keys: NetworkSessionKeys) -> [UInt8] {
        switch keys {
        case .legacy(let nwkSKey): nwkSKey.exportBytes()
        case .current(let fNwkSIntKey, let sNwkSIntKey, let nwkSEncKey, _):
            fNwkSIntKey.exportBytes() + sNwkSIntKey.exportBytes() + nwkSEncKey.exportBytes()
        }
    }

    static func fOptsVariant(_ keys: NetworkSessionKeys) -> FOptsEncryptionVariant? {
        if case .current(_, _, _, let variant) = keys { return variant }
        return nil
    }

    /// The keys from the opened plaintext. The reason never mentions the bytes.
    static func keys(_ plaintext: [UInt8], fOptsVariant: FOptsEncryptionVariant?) throws(StorageError) -> NetworkSessionKeys {
        switch (plaintext.count, fOptsVariant) {
        case (16, nil):
            if let nwkSKey = NwkSKey(bytes: plaintext) { return .legacy(nwkSKey: nwkSKey) }
        case (48, let variant?):
            if let f = FNwkSIntKey(bytes: plaintext[0..<16]), let s = SNwkSIntKey(bytes: plaintext[16..<32]),
                let e = NwkSEncKey(bytes: plaintext[32..<48])
            {
                return .current(fNwkSIntKey: f, sNwkSIntKey: s, nwkSEncKey: e, fOptsVariant: variant)
            }
        default:
            break
        }
        throw .malformedRow(
            table: table, column: "keys_sealed", reason: "not 16 bytes of 1.0 keys, or 48 bytes of 1.1 keys with an FOpts variant")
    }

    // MARK: Reading

    /// A row as read, before its keys are opened and its documents decoded (which happens outside the
    /// connection's lease).
    struct Stored: Sendable {
        let devEUI: EUI64
        let devAddr: DevAddr
        let macVersion: MACVersion
        let region: Region
        let activation: NetworkSession.Activation
        let sessionKeyID: [UInt8]
        let sealedKeys: SealedSecret
        let fOptsVariant: FOptsEncryptionVariant?
        let fCntUp: UInt32?
        let lastConfirmedUplinkFCnt: UInt32?
        let lastConfirmedDownlinkFCnt: UInt32?
        let downlinkCounters: DownlinkFrameCounters
        let adrEnabled: Bool
        let dataRate: DataRateIndex
        let adrHistory: [UInt8]
        let pendingConfirmedDownlinkID: UUID?
        let macState: [UInt8]

        init(_ row: any SQLRow) throws {
            devEUI = try row.eui("dev_eui", table: table)
            guard let devAddr = UInt32(exactly: try row.integer("dev_addr", table: table)) else {
                throw StorageError.malformedRow(table: table, column: "dev_addr", reason: "not a 32-bit DevAddr")
            }
            self.devAddr = DevAddr(devAddr)
            macVersion = try row.textRawValue("mac_version", table: table, as: MACVersion.self)
            region = try row.textRawValue("region", table: table, as: Region.self)
            activation = try row.textRawValue("activation", table: table, as: NetworkSession.Activation.self)
            sessionKeyID = try row.bytes("session_key_id", table: table)
            sealedKeys = SealedSecret(keyID: try row.text("keys_kek_id", table: table), box: try row.bytes("keys_sealed", table: table))
            fOptsVariant = try row.decodeNil(column: "f_opts_variant")
                ? nil : try row.textRawValue("f_opts_variant", table: table, as: FOptsEncryptionVariant.self)
            fCntUp = try row.optionalCounter("f_cnt_up", table: table)
            lastConfirmedUplinkFCnt = try row.optionalCounter("last_confirmed_uplink_fcnt", table: table)
            lastConfirmedDownlinkFCnt = try row.optionalCounter("last_confirmed_downlink_fcnt", table: table)
            let fCntDown = try row.optionalCounter("f_cnt_down", table: table)
            let nFCntDown = try row.optionalCounter("n_f_cnt_down", table: table)
            let aFCntDown = try row.optionalCounter("a_f_cnt_down", table: table)
            switch (fCntDown, nFCntDown, aFCntDown) {
            case (let f?, nil, nil): downlinkCounters = .shared(fCntDown: f)
            case (nil, let n?, let a?): downlinkCounters = .separate(nFCntDown: n, aFCntDown: a)
            default:
                throw StorageError.malformedRow(table: table, column: "f_cnt_down", reason: "neither FCntDown nor NFCntDown and AFCntDown")
            }
            adrEnabled = try row.integer("adr_enabled", table: table) != 0
            guard let rate = UInt8(exactly: try row.integer("data_rate", table: table)).flatMap(DataRateIndex.init(rawValue:)) else {
                throw StorageError.malformedRow(table: table, column: "data_rate", reason: "not DR0-DR15")
            }
            dataRate = rate
            adrHistory = try row.bytes("adr_history", table: table)
            pendingConfirmedDownlinkID =
                try row.decodeNil(column: "pending_confirmed_downlink_id") ? nil : try row.uuid("pending_confirmed_downlink_id", table: table)
            macState = try row.bytes("mac_state", table: table)
        }

        /// Opens the keys and decodes the documents. `data_rate` is the current data rate: the
        /// counter-only update moves it without rewriting `mac_state`.
        func record(opening sealer: SecretSealer) throws -> NetworkSession {
            let plaintext = try sealer.open(sealedKeys, for: SealedColumn.networkSessionKeys.binding(row: devEUI.description))
            let keys = try NetworkSessionRows.keys(plaintext, fOptsVariant: fOptsVariant)
            let document = try NetworkSessionDocument(decoding: macState)
            var macSettings = document.macSettings
            macSettings.dataRate = dataRate
            do {
                return try NetworkSession(
                    restoring: devEUI, devAddr: devAddr, macVersion: macVersion, region: region, activation: activation, keys: keys,
                    sessionKeyID: sessionKeyID, fCntUp: fCntUp, lastConfirmedUplinkFCnt: lastConfirmedUplinkFCnt,
                    lastConfirmedDownlinkFCnt: lastConfirmedDownlinkFCnt, downlinkCounters: downlinkCounters, macSettings: macSettings,
                    provisionedMACSettings: document.provisionedMACSettings, adrEnabled: adrEnabled,
                    adrHistory: try ADRHistoryDocument.decode(adrHistory), pendingMACRequests: document.pendingMACRequests,
                    deviceStatus: document.deviceStatus, pendingConfirmedDownlinkID: pendingConfirmedDownlinkID,
                    macReconciliation: document.macReconciliation)
            } catch let error as NetworkSessionError {
                throw StorageError.malformedRow(table: table, column: "keys_sealed", reason: "\(error)")
            }
        }
    }
}

extension SQLRow {
    func optionalCounter(_ column: String, table: String) throws -> UInt32? {
        if try decodeNil(column: column) { return nil }
        guard let value = UInt32(exactly: try integer(column, table: table)) else {
            throw StorageError.malformedRow(table: table, column: column, reason: "not a 32-bit counter")
        }
        return value
    }

    /// A text column holding a raw value of `Value` (a MAC version, a region...).
    func textRawValue<Value: RawRepresentable>(_ column: String, table: String, as type: Value.Type) throws -> Value where Value.RawValue == String {
        let text = try text(column, table: table)
        guard let value = Value(rawValue: text) else {
            throw StorageError.malformedRow(table: table, column: column, reason: "unknown value '\(text)'")
        }
        return value
    }
}
