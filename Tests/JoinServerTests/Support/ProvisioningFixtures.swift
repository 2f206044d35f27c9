import BackendInterfaces
import JoinServer
import LoRaWAN

/// Keys, KEKs and documents shared by the provisioning tests. Every secret here is listed in `secrets`,
/// which the redaction tests look for in error descriptions.
enum ProvisioningFixtures {
    static let kekBytes: [UInt8] = Array(0x10...0x1F)
    static let otherKEKBytes: [UInt8] = Array(0x20...0x2F)
    static let kek = LabeledKEK(label: "mfr-2026", bytes: kekBytes)!
    /// Same label, different key: what a receiver holds when the sender's KEK was mistyped.
    static let wrongKEK = LabeledKEK(label: "mfr-2026", bytes: otherKEKBytes)!
    static let keks = KEKRing([kek])

    static let appKeyHex = "6A1F0A3E55D2C41B8E7790F3AB12CD45"
    static let nwkKeyHex = "C0FFEE0123456789ABCDEF0011223344"
    static let appKey = try! AppKey(parsing: appKeyHex)
    static let nwkKey = try! NwkKey(parsing: nwkKeyHex)
    static let legacyKeys = RootKeys.legacy(appKey: appKey)
    static let separateKeys = RootKeys.separate(nwkKey: nwkKey, appKey: appKey)

    static let joinEUI = EUI64(0x70B3_D57E_D000_0001)
    static func devEUI(_ n: UInt64) -> EUI64 { EUI64(0x0004_A30B_001C_0000 + n) }

    /// A claim code per device; never hex, so it cannot be mistaken for an EUI in an error.
    static func claimCodeText(_ n: Int) -> String { "Qz-\(n)-wrx!PLM" }

    static var wrappedAppKeyHex: String { Hex.encode(WrappedRootKeys(wrapping: legacyKeys, under: kek).appKey.aesKey, uppercase: true) }
    static var wrappedNwkKeyHex: String { Hex.encode(WrappedRootKeys(wrapping: separateKeys, under: kek).nwkKey!.aesKey, uppercase: true) }

    /// Every secret a fixture document holds, in the forms an error could leak them.
    static var secrets: [String] {
        [appKeyHex, nwkKeyHex, Hex.encode(kekBytes), Hex.encode(otherKEKBytes), wrappedAppKeyHex, wrappedNwkKeyHex]
            + (0..<8).map(claimCodeText) + ["Qz-"]
    }

    /// A valid CSV batch: device 0 is 1.0.3 without keys, 1 is 1.0.3 with an AppKey, 2 is 1.1 with both.
    static var csv: String {
        """
        dev_eui,join_eui,mac_version,claim_code,kek_label,app_key,nwk_key
        \(devEUI(0)),\(joinEUI),1.0.3,\(claimCodeText(0)),,,
        \(devEUI(1)),\(joinEUI),1.0.3,\(claimCodeText(1)),mfr-2026,\(wrappedAppKeyHex),
        \(devEUI(2)),\(joinEUI),1.1,\(claimCodeText(2)),mfr-2026,\(wrappedAppKeyHex),\(wrappedNwkKeyHex)

        """
    }

    /// The same three devices as JSON.
    static var json: String {
        """
        {"devices": [
          {"dev_eui": "\(devEUI(0))", "join_eui": "\(joinEUI)", "mac_version": "1.0.3", "claim_code": "\(claimCodeText(0))"},
          {"dev_eui": "\(devEUI(1))", "join_eui": "\(joinEUI)", "mac_version": "1.0.3", "claim_code": "\(claimCodeText(1))",
           "kek_label": "mfr-2026", "app_key": "\(wrappedAppKeyHex)"},
          {"dev_eui": "\(devEUI(2))", "join_eui": "\(joinEUI)", "mac_version": "1.1", "claim_code": "\(claimCodeText(2))",
           "kek_label": "mfr-2026", "app_key": "\(wrappedAppKeyHex)", "nwk_key": "\(wrappedNwkKeyHex)"}
        ]}
        """
    }

    /// `true` when `text` contains none of the fixture secrets (compared without regard to case).
    static func leaksNothing(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return !secrets.contains { lowered.contains($0.lowercased()) }
    }
}
