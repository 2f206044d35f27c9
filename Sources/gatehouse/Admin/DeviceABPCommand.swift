import ArgumentParser
import Foundation
import GatehouseServer
import LoRaWAN
import Logging

extension DeviceCommand {
    /// `gatehouse device create-abp`: an ABP device, insecure by nature, so only with `--insecure-abp`.
    /// Session keys come from files (- for standard input), like root keys, never as arguments.
    struct CreateABP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-abp", abstract: "Create an ABP device (insecure: keys and counters for life; prefer OTAA).",
            discussion: """
                Needs --insecure-abp. LoRaWAN 1.0.x takes --nwk-s-key-file; 1.1 takes --f-nwk-s-int-key-file, \
                --s-nwk-s-int-key-file and --nwk-s-enc-key-file. Each file holds one key as 32 hex digits.
                """)
        @OptionGroup var admin: AdminOptions
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String
        @Option(name: .customLong("dev-addr"), help: "DevAddr (8 hex digits), best within this network's NetID block.") var devAddr: String
        @Option(name: .customLong("mac-version"), help: "1.0.0 to 1.0.4, or 1.1.") var macVersion: String
        @Option(name: .customLong("region"), help: "Its region (EU868, US915...); required for ABP.") var region: String
        @Option(name: .customLong("class"), help: "A (default) or C.") var deviceClass: String?
        @Option(name: .customLong("application"), help: "The application whose webhooks and stream get its events.") var application: String?
        @Option(name: .customLong("nwk-s-key-file"), help: "LoRaWAN 1.0.x: file holding the NwkSKey.") var nwkSKeyFile: String?
        @Option(name: .customLong("f-nwk-s-int-key-file"), help: "LoRaWAN 1.1: file holding the FNwkSIntKey.") var fNwkSIntKeyFile: String?
        @Option(name: .customLong("s-nwk-s-int-key-file"), help: "LoRaWAN 1.1: file holding the SNwkSIntKey.") var sNwkSIntKeyFile: String?
        @Option(name: .customLong("nwk-s-enc-key-file"), help: "LoRaWAN 1.1: file holding the NwkSEncKey.") var nwkSEncKeyFile: String?
        @Option(name: .customLong("app-s-key-file"), help: "File holding the AppSKey.") var appSKeyFile: String
        @Flag(name: .customLong("insecure-abp"), help: "Acknowledge that ABP is insecure (required).") var insecureABP = false

        func run() async throws {
            guard insecureABP else {
                throw CommandLineFailure.usage("--insecure-abp: \(ABPProvisioningError.insecureNotAcknowledged) with --insecure-abp")
            }
            let version = try DeviceInput.macVersion(macVersion)
            let address: DevAddr
            do { address = try DevAddr(parsing: devAddr) } catch { throw CommandLineFailure.usage("--dev-addr: expected a DevAddr (8 hex digits)") }
            try SecretFiles.checkOneStandardInput([nwkSKeyFile, fNwkSIntKeyFile, sNwkSIntKeyFile, nwkSEncKeyFile, appSKeyFile])
            let device = GatehouseServices.NewABPDevice(
                devEUI: try requireEUI(devEUI, "DEVEUI"), devAddr: address, macVersion: version, region: try DeviceInput.region(region),
                deviceClass: try DeviceInput.deviceClass(deviceClass), networkKeys: try networkKeys(for: version),
                appSKey: try SecretFiles.key(appSKeyFile, option: "--app-s-key-file"),
                application: try application.map { try DeviceInput.applicationID($0) })
            let logger = admin.logger
            let summary = try await admin.withServices { services in
                do {
                    return try await services.createABPDevice(device, acknowledgeInsecure: true, actor: commandLineActor, logger: logger)
                } catch let error as DeviceProvisioningError {
                    throw CommandLineFailure.invalidData(error.description)
                } catch let error as ABPProvisioningError {
                    throw CommandLineFailure.invalidData(error.description)
                }
            }
            print("Created ABP device \(summary.devEUI), DevAddr \(summary.devAddr), LoRaWAN \(summary.macVersion), \(summary.region)")
            for warning in summary.warnings { print("warning: \(warning)") }
        }

        /// 1.0.x: the NwkSKey alone; 1.1: the three network keys.
        private func networkKeys(for version: MACVersion) throws -> NetworkSessionKeys {
            guard version.hasSeparateNetworkRootKey else {
                guard fNwkSIntKeyFile == nil, sNwkSIntKeyFile == nil, nwkSEncKeyFile == nil else {
                    throw CommandLineFailure.usage("a LoRaWAN \(version) device has one network session key: give --nwk-s-key-file only")
                }
                guard let nwkSKeyFile else { throw CommandLineFailure.usage("--nwk-s-key-file: required for LoRaWAN \(version)") }
                return .legacy(nwkSKey: try SecretFiles.key(nwkSKeyFile, option: "--nwk-s-key-file"))
            }
            guard nwkSKeyFile == nil else {
                throw CommandLineFailure.usage(
                    "--nwk-s-key-file: a LoRaWAN \(version) device has --f-nwk-s-int-key-file, --s-nwk-s-int-key-file and --nwk-s-enc-key-file instead")
            }
            guard let fNwkSIntKeyFile, let sNwkSIntKeyFile, let nwkSEncKeyFile else {
                throw CommandLineFailure.usage(
                    "a LoRaWAN \(version) device needs --f-nwk-s-int-key-file, --s-nwk-s-int-key-file and --nwk-s-enc-key-file")
            }
            return .current(
                fNwkSIntKey: try SecretFiles.key(fNwkSIntKeyFile, option: "--f-nwk-s-int-key-file"),
                sNwkSIntKey: try SecretFiles.key(sNwkSIntKeyFile, option: "--s-nwk-s-int-key-file"),
                nwkSEncKey: try SecretFiles.key(nwkSEncKeyFile, option: "--nwk-s-enc-key-file"), fOptsVariant: .errata)
        }
    }
}
