import ArgumentParser
import Foundation
import LoRaWAN

/// `gatehouse keys`: key derivation for operators checking a device or a capture.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Derive LoRaWAN session keys; rotate the key-encryption key.",
        subcommands: [Derive.self, KEKRotationCommand.self])

    /// `gatehouse keys derive`: the session keys a join produced, from the root keys and the join's nonces.
    struct Derive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the 1.0.x or 1.1 session keys (and 1.1 JSIntKey/JSEncKey) for a join.",
            discussion: "The keys are printed because you asked for them: do not paste the output into tickets or logs.")

        @Option(name: .customLong("lorawan"), help: "1.0 (1.0.x) or 1.1.") var version: FrameInspectionInput.Version = .v1_0
        @Option(name: .customLong("app-key"), help: "AppKey (32 hex digits).") var appKey: String?
        @Option(name: .customLong("nwk-key"), help: "NwkKey (LoRaWAN 1.1).") var nwkKey: String?
        @Option(name: .customLong("join-nonce"), help: "JoinNonce (AppNonce), 24-bit decimal or 0x-hex.") var joinNonce: String
        @Option(name: .customLong("dev-nonce"), help: "DevNonce (or RJcount after a rejoin), decimal or 0x-hex.") var devNonce: String
        @Option(name: .customLong("net-id"), help: "NetID, 6 hex digits (1.0.x, and 1.1 with --opt-neg 0).") var netID: String?
        @Option(name: .customLong("join-eui"), help: "JoinEUI (1.1 with OptNeg=1).") var joinEUI: String?
        @Option(name: .customLong("dev-eui"), help: "DevEUI, for JSIntKey/JSEncKey (1.1).") var devEUI: String?
        @Option(name: .customLong("opt-neg"), help: "1.1 only: 1 (default) for a 1.1 network, 0 for a 1.0 network.") var optNeg: Int = 1
        @Flag(name: .customLong("json"), help: "Print JSON.") var json = false

        func run() throws {
            guard let joinNonceValue = Self.integer(joinNonce), let nonce = JoinNonce(UInt32(clamping: joinNonceValue)), joinNonceValue <= 0xFF_FFFF else {
                throw CommandLineFailure.usage("--join-nonce must be a 24-bit number")
            }
            guard let devNonceValue = Self.integer(devNonce), devNonceValue <= 0xFFFF else {
                throw CommandLineFailure.usage("--dev-nonce must be a 16-bit number")
            }
            let devNonce = DevNonce(UInt16(devNonceValue))
            var out: [(String, String)] = []
            switch version {
            case .v1_0:
                let appKey: AppKey = try Self.required(parseKey(appKey, "app-key"), "--app-key")
                let netID = try Self.required(parseOption(netID, "net-id") { (t) throws(FrameError) in try NetID(parsing: t) }, "--net-id")
                let keys = SessionKeyDerivation.deriveLegacySessionKeys(appKey: appKey, joinNonce: nonce, netID: netID, devNonce: devNonce)
                out = [("NwkSKey", keys.nwkSKey.exportHex()), ("AppSKey", keys.appSKey.exportHex())]
            case .v1_1:
                let nwkKey: NwkKey = try Self.required(parseKey(nwkKey, "nwk-key"), "--nwk-key")
                let keys: SessionKeys
                if optNeg == 0 {
                    let netID = try Self.required(parseOption(netID, "net-id") { (t) throws(FrameError) in try NetID(parsing: t) }, "--net-id")
                    keys = SessionKeyDerivation.deriveSessionKeysForOptNegZero(nwkKey: nwkKey, joinNonce: nonce, netID: netID, devNonce: devNonce)
                } else {
                    let appKey: AppKey = try Self.required(parseKey(appKey, "app-key"), "--app-key")
                    let joinEUI = try Self.required(parseEUI(joinEUI, "join-eui"), "--join-eui")
                    keys = SessionKeyDerivation.deriveSessionKeys(nwkKey: nwkKey, appKey: appKey, joinNonce: nonce, joinEUI: joinEUI, devNonce: devNonce)
                }
                out = [("FNwkSIntKey", keys.fNwkSIntKey.exportHex()), ("SNwkSIntKey", keys.sNwkSIntKey.exportHex()),
                       ("NwkSEncKey", keys.nwkSEncKey.exportHex()), ("AppSKey", keys.appSKey.exportHex())]
                if let devEUI = try parseEUI(devEUI, "dev-eui") {
                    let js = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: devEUI)
                    out += [("JSIntKey", js.jsIntKey.exportHex()), ("JSEncKey", js.jsEncKey.exportHex())]
                }
            }
            if json {
                let object = Dictionary(uniqueKeysWithValues: out.map { (Self.jsonName($0.0), $0.1) })
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
            } else {
                out.forEach { print("\($0.0.padding(toLength: 12, withPad: " ", startingAt: 0)) \($0.1)") }
            }
        }

        static func integer(_ text: String) -> UInt64? {
            text.hasPrefix("0x") || text.hasPrefix("0X") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        }

        static func required<T>(_ value: T?, _ option: String) throws -> T {
            guard let value else { throw CommandLineFailure.usage("\(option) is required for this LoRaWAN version") }
            return value
        }

        /// `NwkSKey` → `nwkSKey`, `JSIntKey` → `jsIntKey`: the JSON naming the README documents.
        static func jsonName(_ name: String) -> String {
            name.hasPrefix("JS") ? "js" + name.dropFirst(2) : name.prefix(1).lowercased() + name.dropFirst()
        }
    }
}
