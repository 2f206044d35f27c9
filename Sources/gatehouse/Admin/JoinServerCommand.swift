import ArgumentParser
import Foundation
import GatehouseServer
import JoinServer
import LoRaWAN

/// `gatehouse js`: the Join Server's own keys: the peers it talks to and manufacturers' master keys.
struct JoinServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "js", abstract: "Manage the Join Server's peers (Network and Application Servers) and master keys.",
        subcommands: [JoinPeerCommand.self, MasterKeyCommand.self])

    /// `gatehouse js master-key`: a manufacturer's key for a JoinEUI range, from which the root keys of
    /// its devices are derived. Read from a file, never shown again.
    struct MasterKeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "master-key", abstract: "Add, list and remove manufacturers' master keys.", subcommands: [Add.self, List.self, Remove.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a master key for a JoinEUI range (devices in it without keys of their own derive theirs from it).")
            @OptionGroup var admin: AdminOptions
            @Argument(help: "Its name (letters, digits, '.', '-', '_').") var name: String
            @Option(name: .customLong("join-eui-range"), help: "FIRST-LAST, two EUI-64s (or FIRST..LAST).") var range: String
            @Option(name: .customLong("key-file"), help: "File holding the master key (32 hex digits; - for standard input).") var keyFile: String

            func run() async throws {
                guard JoinNameRules.isValidMasterKeyName(name) else { throw CommandLineFailure.usage("NAME: \(JoinNameRules.masterKeyNameRule)") }
                let joinEUIs = try Self.joinEUIs(range)
                let key: MasterKey = try SecretFiles.key(keyFile, option: "--key-file")
                try await admin.withServices { try await $0.joinDevices.addMasterKey(name: name, joinEUIs: joinEUIs, key: key, actor: commandLineActor) }
                print("Master key \(name) covers JoinEUIs \(joinEUIs.lowerBound) to \(joinEUIs.upperBound)")
            }

            /// `FIRST-LAST` or `FIRST..LAST`; EUIs written with dashes between bytes (`70-B3-...`) work too.
            static func joinEUIs(_ text: String) throws -> ClosedRange<EUI64> {
                let parts: [Substring]
                if text.contains("..") {
                    parts = text.split(separator: "..", omittingEmptySubsequences: false).map { $0.drop { $0 == "." } }
                } else {
                    let pieces = text.split(separator: "-", omittingEmptySubsequences: false)
                    parts = pieces.count == 16
                        ? [Substring(pieces[..<8].joined(separator: "-")), Substring(pieces[8...].joined(separator: "-"))] : pieces
                }
                guard parts.count == 2 else { throw CommandLineFailure.usage("--join-eui-range: use FIRST-LAST, e.g. 70B3D57ED0000000-70B3D57ED00000FF") }
                let first = try requireEUI(String(parts[0]), "--join-eui-range")
                let last = try requireEUI(String(parts[1]), "--join-eui-range")
                guard first <= last else { throw CommandLineFailure.usage("--join-eui-range: FIRST must not be above LAST") }
                return first...last
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List master keys by name and range (never the keys).")
            @OptionGroup var admin: AdminOptions

            func run() async throws {
                for key in try await admin.withServices({ try await $0.joinDevices.masterKeys() }) {
                    print("\(key.name)  \(key.joinEUIs.lowerBound)-\(key.joinEUIs.upperBound)")
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a master key; devices that relied on it cannot join until they have keys.")
            @OptionGroup var admin: AdminOptions
            @Argument var name: String

            func run() async throws {
                try await admin.withServices { try await $0.joinDevices.removeMasterKey(name: name, actor: commandLineActor) }
                print("Master key \(name) removed")
            }
        }
    }
}
