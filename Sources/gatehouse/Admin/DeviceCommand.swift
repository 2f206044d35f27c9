import ArgumentParser
import Foundation
import GatehouseServer
import JoinServer
import LoRaWAN

/// `gatehouse device`: the Join Server's devices. Root keys go in from files and never come out: every
/// command shows where a device's keys come from, never what they are.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Register devices with the Join Server, claim, import and transfer them.",
        subcommands: [
            Create.self, CreateABP.self, List.self, Show.self, SetKeys.self, Delete.self, ResetNonces.self, Import.self, Claim.self, Transfer.self,
            ImportTransfer.self, Audit.self, DeviceMACCommand.self, DeviceForceRejoinCommand.self,
        ])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a device; root keys are read from files (- for standard input).",
            discussion: "Without key files the device joins with keys derived from a master key covering its JoinEUI, or after `device set-keys`.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String
        @Option(name: .customLong("join-eui")) var joinEUI: String
        @Option(name: .customLong("mac-version"), help: "1.0.0 to 1.0.4, or 1.1.") var macVersion: String
        @Option(name: .customLong("app-key-file"), help: "File holding the AppKey (32 hex digits).") var appKeyFile: String?
        @Option(name: .customLong("nwk-key-file"), help: "File holding the NwkKey (LoRaWAN 1.1).") var nwkKeyFile: String?
        @Option(name: .customLong("owner")) var owner: String?
        @Option(name: .customLong("home-net-id"), help: "The only NetID whose Network Server may activate it.") var homeNetID: String?
        @Option(name: .customLong("as-id"), help: "The Application Server that receives its AppSKey.") var asID: String?
        @Option(name: .customLong("region"), help: "Its region (EU868, US915...); default: the region of the gateway that hears its join.")
        var region: String?
        @Option(name: .customLong("class"), help: "A (default) or C: a class C device listens between uplinks.") var deviceClass: String?
        @Option(name: .customLong("application"), help: "The application whose webhooks and stream get its events.") var application: String?

        func run() async throws {
            let version = try DeviceInput.macVersion(macVersion)
            try SecretFiles.checkOneStandardInput([appKeyFile, nwkKeyFile])
            let device = NewJoinDevice(
                devEUI: try requireEUI(devEUI, "DEVEUI"), joinEUI: try requireEUI(joinEUI, "--join-eui"), macVersion: version,
                rootKeys: try DeviceInput.rootKeys(appKeyFile: appKeyFile, nwkKeyFile: nwkKeyFile, for: version),
                owner: try owner.map { try DeviceInput.text($0, "--owner") },
                homeNetID: try homeNetID.map { try DeviceInput.netID($0) },
                applicationServerID: try asID.map { try DeviceInput.applicationServerID($0) })
            let profile = GatehouseServices.DeviceProfile(
                region: try region.map { try DeviceInput.region($0) }, deviceClass: try DeviceInput.deviceClass(deviceClass),
                application: try application.map { try DeviceInput.applicationID($0) })
            let summary = try await admin.withServices { try await $0.createDevice(device, profile: profile, actor: commandLineActor) }
            print("Registered device \(summary.devEUI), LoRaWAN \(summary.macVersion), JoinEUI \(summary.joinEUI), root keys: \(summary.rootKeySource)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List devices, by DevEUI.")
        @OptionGroup var admin: AdminOptions
        @Option(name: .customLong("owner"), help: "Only this owner's devices.") var owner: String?

        func run() async throws {
            try await admin.withServices { services in
                var after: EUI64?
                while true {
                    let page = try await services.joinDevices.devices(owner: owner, limit: 1000, after: after)
                    for device in page { print(DeviceText.line(device)) }
                    guard page.count == 1000, let last = page.last else { return }
                    after = last.devEUI
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a device (never its keys).")
        @OptionGroup var admin: AdminOptions
        @Argument var devEUI: String

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            let summary = try await admin.withServices { try await $0.joinDevices.device(eui) }
            DeviceText.details(summary).forEach { print($0) }
        }
    }

    struct SetKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-keys", abstract: "Replace a device's root keys (read from files; - for standard input).")
        @OptionGroup var admin: AdminOptions
        @Argument var devEUI: String
        @Option(name: .customLong("app-key-file")) var appKeyFile: String
        @Option(name: .customLong("nwk-key-file"), help: "LoRaWAN 1.1: the NwkKey as well.") var nwkKeyFile: String?

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            try SecretFiles.checkOneStandardInput([appKeyFile, nwkKeyFile])
            let appKey: AppKey = try SecretFiles.key(appKeyFile, option: "--app-key-file")
            let keys: RootKeys = try nwkKeyFile.map { .separate(nwkKey: try SecretFiles.key($0, option: "--nwk-key-file"), appKey: appKey) }
                ?? .legacy(appKey: appKey)
            let summary = try await admin.withServices { try await $0.joinDevices.setRootKeys(eui, keys, actor: commandLineActor) }
            print("Root keys of \(summary.devEUI) replaced")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a device with its nonce history and sessions.")
        @OptionGroup var admin: AdminOptions
        @Argument var devEUI: String

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            try await admin.withServices { try await $0.deleteDevice(eui, actor: commandLineActor) }
            print("Deleted device \(eui)")
        }
    }

    struct ResetNonces: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-nonces", abstract: "Forget a device's DevNonce history, so a device that lost its counter can join again.",
            discussion: "JoinNonce keeps counting, so no join-accept repeats. The reason is kept in the audit log.")
        @OptionGroup var admin: AdminOptions
        @Argument var devEUI: String
        @Option(name: .customLong("reason")) var reason: String

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            let reason = try DeviceInput.text(reason, "--reason")
            try await admin.withServices { try await $0.joinDevices.resetDevNonces(eui, actor: commandLineActor, reason: reason) }
            print("DevNonce history of \(eui) reset")
        }
    }

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The Join Server's audit log, or one device's.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "Only this device's events.") var devEUI: String?
        @Option(name: .customLong("limit")) var limit: Int = 1000

        func run() async throws {
            let eui = try devEUI.map { try requireEUI($0, "DEVEUI") }
            let formatter = ISO8601DateFormatter()
            for event in try await admin.withServices({ try await $0.joinDevices.auditEvents(devEUI: eui, limit: limit) }) {
                let columns = [
                    formatter.string(from: event.time), event.action.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0), event.actor,
                    event.devEUI?.description ?? "-", event.detail,
                ]
                print(columns.joined(separator: "  "))
            }
        }
    }
}
