import BackendInterfaces
import Foundation
import JoinServer
import LoRaWAN

/// Join Server records for the storage tests. Times are whole seconds, so records compare equal after
/// a round trip through microsecond storage; keys are random, so a dump can be searched for them.
enum JoinFixture {
    static let joinEUI = EUI64(0x70B3_D57E_F000_0001)
    static let netID = NetID(0x000013)!

    static func devEUI(_ n: UInt64) -> EUI64 { EUI64(0x70B3_D57E_D000_0000 + n) }

    static func appKey() -> AppKey { AppKey(bytes: Fixture.randomBytes(16))! }
    static func nwkKey() -> NwkKey { NwkKey(bytes: Fixture.randomBytes(16))! }

    /// A device with keys that fit its version, owned by `owner`.
    static func device(
        _ n: UInt64, version: MACVersion = .v1_1, owner: String? = "acme", claimCodeHash: [UInt8]? = nil, withKeys: Bool = true
    ) -> JoinDevice {
        let keys: RootKeys? =
            withKeys ? (version.hasSeparateNetworkRootKey ? .separate(nwkKey: nwkKey(), appKey: appKey()) : .legacy(appKey: appKey())) : nil
        return JoinDevice(
            devEUI: devEUI(n), joinEUI: joinEUI, macVersion: version, rootKeys: keys, owner: owner, claimCodeHash: claimCodeHash,
            homeNetID: netID, applicationServerID: ApplicationServerID("as.example.com"), createdAt: Fixture.epoch
        )
    }

    static func event(_ action: DeviceAuditAction, device n: UInt64? = nil, at time: Date = Fixture.epoch, actor: String = "cli") -> DeviceAuditEvent {
        DeviceAuditEvent(time: time, actor: actor, action: action, devEUI: n.map(devEUI), detail: "\(action.rawValue) by a test")
    }

    /// A join or rejoin attempt with a fresh random SessionKeyID.
    static func attempt(_ n: UInt64, _ nonce: AttemptNonce, derivation: SessionDerivation = .optNegOne) -> JoinAttempt {
        JoinAttempt(
            devEUI: devEUI(n), nonce: nonce, sessionKeyID: Fixture.randomBytes(16),
            session: SessionParameters(derivation: derivation, netID: netID, joinEUI: joinEUI, nonce: nonce.derivationValue)
        )
    }

    static func legacy(_ n: UInt64, _ devNonce: UInt16) -> JoinAttempt { attempt(n, .devNonce(DevNonce(devNonce), .neverReused), derivation: .legacy) }
    static func counting(_ n: UInt64, _ devNonce: UInt16) -> JoinAttempt { attempt(n, .devNonce(DevNonce(devNonce), .increasing)) }

    static func accepted(_ value: UInt32) -> JoinAttemptOutcome { .accepted(JoinNonce(value)!) }
}

extension Array where Element == UInt8 {
    /// The forms a key could take in a database file or dump: raw, hex (both cases), base64.
    var leakForms: [[UInt8]] {
        let hex = Fixture.hex(self)
        return [self, Array(hex.utf8), Array(hex.uppercased().utf8), Array(Data(self).base64EncodedString().utf8)]
    }
}

/// The SQLite database, WAL and shared-memory files' bytes, concatenated.
func sqliteFileBytes(_ database: TestDatabase) -> [UInt8] {
    var all: [UInt8] = []
    for suffix in ["", "-wal", "-shm"] {
        if let data = FileManager.default.contents(atPath: database.sqlitePath + suffix) { all += [UInt8](data) }
    }
    return all
}
