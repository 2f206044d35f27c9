import ApplicationServer
import BackendInterfaces
import Foundation
import GatehouseServer
import JoinServer
import LoRaWAN

/// Parsing the device commands' options into the Join Server's types, with errors naming the option.
enum DeviceInput {
    static func macVersion(_ text: String) throws -> MACVersion {
        guard let version = MACVersion(spelling: text) else {
            throw CommandLineFailure.usage("--mac-version: use one of \(MACVersion.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return version
    }

    static func netID(_ text: String) throws -> NetID {
        do { return try NetID(parsing: text) } catch { throw CommandLineFailure.usage("--home-net-id: expected a NetID of 6 hex digits") }
    }

    static func applicationServerID(_ text: String) throws -> ApplicationServerID {
        guard let id = ApplicationServerID(text) else { throw CommandLineFailure.usage("--as-id: expected 1 to 64 letters, digits, '.', '-' or '_'") }
        return id
    }

    static func region(_ text: String) throws -> Region {
        guard let region = Region(text.uppercased()) ?? Region(text) else {
            throw CommandLineFailure.usage("--region: use one of \(Region.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return region
    }

    static func deviceClass(_ text: String?) throws -> DeviceModeClass {
        switch text?.uppercased() {
        case nil, "A": return .classA
        case "C": return .classC
        default: throw CommandLineFailure.usage("--class: A or C")
        }
    }

    static func applicationID(_ text: String) throws -> ApplicationID {
        guard let id = ApplicationID(text) else { throw CommandLineFailure.usage("--application: \(text.prefix(64)) is not an application id") }
        return id
    }

    static func text(_ text: String, _ option: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard JoinNameRules.isValidText(trimmed) else { throw CommandLineFailure.usage("\(option): \(JoinNameRules.textRule)") }
        return trimmed
    }

    /// A 1.0.x device has an AppKey only; a 1.1 device both keys or neither.
    static func rootKeys(appKeyFile: String?, nwkKeyFile: String?, for version: MACVersion) throws -> RootKeys? {
        switch (appKeyFile, nwkKeyFile) {
        case (nil, nil):
            return nil
        case (_, .some) where !version.hasSeparateNetworkRootKey:
            throw CommandLineFailure.usage("--nwk-key-file: a LoRaWAN \(version) device has one root key, the AppKey")
        case (let app?, let nwk?):
            return .separate(nwkKey: try SecretFiles.key(nwk, option: "--nwk-key-file"), appKey: try SecretFiles.key(app, option: "--app-key-file"))
        case (let app?, nil):
            guard !version.hasSeparateNetworkRootKey else {
                throw CommandLineFailure.usage("a LoRaWAN 1.1 device needs both --app-key-file and --nwk-key-file, or neither")
            }
            return .legacy(appKey: try SecretFiles.key(app, option: "--app-key-file"))
        case (nil, .some):
            throw CommandLineFailure.usage("a LoRaWAN 1.1 device needs both --app-key-file and --nwk-key-file, or neither")
        }
    }
}
