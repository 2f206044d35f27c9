import BackendInterfaces
import Foundation
import LoRaWAN

/// Keys, KEKs and manufacturer batches for the Join Server's API and CLI tests, with the secrets listed
/// so a test can check that none of them comes back.
enum JoinTestData {
    static let appKey = "2b7e151628aed2a6abf7158809cf4f3c"
    static let nwkKey = "603deb1015ca71be2b73aef0857d7781"
    static let otherAppKey = "8e73b0f7da0e6452c810f32b809079e5"
    /// A manufacturer's KEK, shared with the Join Server for a batch.
    static let manufacturerKEK = "000102030405060708090a0b0c0d0e0f"
    static let manufacturerKEKLabel = "mfr-2026"
    /// The KEK two Join Servers share for a transfer.
    static let transferKEK = "f0e1d2c3b4a5968778695a4b3c2d1e0f"
    static let masterKey = "00112233445566778899aabbccddeeff"

    /// Every secret above, as a test would find it leaked: lower and upper case.
    static var secrets: [String] {
        [appKey, nwkKey, otherAppKey, manufacturerKEK, transferKEK, masterKey].flatMap { [$0, $0.uppercased()] }
    }

    /// The secrets (and claim codes) that occur in `text`; empty when nothing leaked.
    static func leaks(in text: String, also extra: [String] = []) -> [String] {
        (secrets + extra).filter { text.contains($0) }
    }

    /// The RFC 3394 wrap of `keyHex` under `kekHex`, as a batch carries it (48 hex digits).
    static func wrapped(_ keyHex: String, under kekHex: String = manufacturerKEK, label: String = manufacturerKEKLabel) -> String {
        guard let key = try? AppKey(parsing: keyHex), let kek = LabeledKEK(label: label, bytes: Hex.decode(kekHex) ?? []) else {
            preconditionFailure("test keys are 32 hex digits")
        }
        return Hex.encode(KeyEnvelope(wrapping: key, under: kek).aesKey)
    }

    /// One device of a manufacturer's batch.
    struct BatchDevice {
        var devEUI: String
        var joinEUI = "70B3D57ED0000001"
        var macVersion = "1.0.3"
        var claimCode: String
        var appKey: String? = JoinTestData.appKey
        var nwkKey: String?
    }

    static func batchJSON(_ devices: [BatchDevice], kekHex: String = manufacturerKEK) -> String {
        let entries = devices.map { device -> [String: String] in
            var entry = ["dev_eui": device.devEUI, "join_eui": device.joinEUI, "mac_version": device.macVersion, "claim_code": device.claimCode]
            if let appKey = device.appKey {
                entry["kek_label"] = manufacturerKEKLabel
                entry["app_key"] = wrapped(appKey, under: kekHex)
            }
            if let nwkKey = device.nwkKey { entry["nwk_key"] = wrapped(nwkKey, under: kekHex) }
            return entry
        }
        return json(["devices": entries])
    }

    static func batchCSV(_ devices: [BatchDevice], kekHex: String = manufacturerKEK) -> String {
        var lines = ["dev_eui,join_eui,mac_version,claim_code,kek_label,app_key,nwk_key"]
        for device in devices {
            let label = device.appKey == nil ? "" : manufacturerKEKLabel
            let appKey = device.appKey.map { wrapped($0, under: kekHex) } ?? ""
            let nwkKey = device.nwkKey.map { wrapped($0, under: kekHex) } ?? ""
            lines.append([device.devEUI, device.joinEUI, device.macVersion, device.claimCode, label, appKey, nwkKey].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `value` as JSON text (for request bodies built from dictionaries).
    static func json(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            preconditionFailure("test bodies are JSON")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
