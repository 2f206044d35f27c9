import ArgumentParser
import BackendInterfaces
import Foundation
import GatehouseServer
import JoinServer
import LoRaWAN

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// `gatehouse device import|claim|transfer|import-transfer`: devices that arrive in a manufacturer's
// batch, are claimed by whoever holds them, or move between Join Servers. Root keys travel only wrapped
// under a KEK given as `--kek LABEL=FILE`, which is used for the command and not stored.
extension DeviceCommand {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a manufacturer's batch (JSON or CSV) as unowned, claimable devices: all or nothing.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The batch file (- for standard input).") var file: String
        @Option(name: .customLong("format"), help: "json or csv (default: by the file's extension).") var format: String?
        @Option(name: .customLong("kek"), help: "LABEL=FILE: a KEK the batch's keys are wrapped under (32 hex digits in FILE); repeat for several.")
        var keks: [String] = []

        func run() async throws {
            let format = try (format ?? Self.format(of: file)).lowercased()
            guard format == "json" || format == "csv" else { throw CommandLineFailure.usage("--format: use json or csv") }
            try SecretFiles.checkOneStandardInput([file] + keks.map { $0.split(separator: "=").last.map(String.init) })
            let text = try SecretFiles.text(file, option: "FILE")
            let ring = try SecretFiles.kekRing(keks, option: "--kek")
            let devices: [ManufacturerDevice]
            do {
                devices = format == "json" ? try ManufacturerBatch.parse(json: Array(text.utf8)) : try ManufacturerBatch.parse(csv: text)
            } catch {
                throw CommandLineFailure.invalidData("\(file): \(error)")
            }
            let imported = try await admin.withServices { try await $0.joinDevices.importBatch(devices, keks: ring, actor: commandLineActor) }
            print("Imported \(imported) devices; each can be claimed with the code printed on it")
        }

        private static func format(of file: String) throws -> String {
            switch URL(fileURLWithPath: file).pathExtension.lowercased() {
            case "json": return "json"
            case "csv": return "csv"
            default: throw CommandLineFailure.usage("cannot tell the format of \(file) by its extension: give --format json or --format csv")
            }
        }
    }

    struct Claim: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Claim an imported device for an owner with its claim code (read from a file).")
        @OptionGroup var admin: AdminOptions
        @Argument var devEUI: String
        @Option(name: .customLong("join-eui")) var joinEUI: String
        @Option(name: .customLong("claim-code-file"), help: "File holding the claim code (- for standard input).") var claimCodeFile: String
        @Option(name: .customLong("owner")) var owner: String

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            let join = try requireEUI(joinEUI, "--join-eui")
            let owner = try DeviceInput.text(owner, "--owner")
            let code: ClaimCode
            do {
                code = try ClaimCode(parsing: try SecretFiles.text(claimCodeFile, option: "--claim-code-file").trimmingCharacters(in: .whitespacesAndNewlines))
            } catch let error as ClaimCodeError {
                throw CommandLineFailure.invalidData("--claim-code-file: \(error)")
            }
            let summary = try await admin.withServices { try await $0.joinDevices.claim(devEUI: eui, joinEUI: join, code: code, owner: owner) }
            print("Device \(summary.devEUI) now belongs to \(summary.owner ?? owner)")
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a device's root keys, wrapped under a KEK shared with the destination Join Server, to --out.",
            discussion: "The device is marked transferred: this Join Server refuses its joins from now on, and the file is the only export.")
        @OptionGroup var admin: AdminOptions
        @Argument var devEUI: String
        @Option(name: .customLong("kek"), help: "LABEL=FILE: the KEK shared with the destination (32 hex digits in FILE).") var kek: String
        @Option(name: .customLong("out"), help: "The export document to write (must not exist).") var outFile: String

        func run() async throws {
            let eui = try requireEUI(devEUI, "DEVEUI")
            let kek = try SecretFiles.labeledKEK(kek, option: "--kek")
            // Take the output file first: once the device is marked transferred there is no second export.
            try SecretFiles.writeNew(outFile, [])
            do {
                let export = try await admin.withServices { try await $0.joinDevices.transfer(eui, under: kek, actor: commandLineActor) }
                try SecretFiles.replace(outFile, export.encoded() + Array("\n".utf8))
            } catch {
                unlink(outFile)
                throw error
            }
            print("Root keys of \(eui) exported under \"\(kek.label)\" to \(outFile); joins of \(eui) are refused here from now on")
        }
    }

    struct ImportTransfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-transfer", abstract: "Import devices another Join Server exported (one device or a batch).")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "The export document (- for standard input).") var file: String
        @Option(name: .customLong("kek"), help: "LABEL=FILE: the KEK the document is wrapped under; repeat for several.") var keks: [String] = []
        @Option(name: .customLong("owner")) var owner: String?

        func run() async throws {
            guard !keks.isEmpty else { throw CommandLineFailure.usage("give the KEK the document is wrapped under: --kek LABEL=FILE") }
            try SecretFiles.checkOneStandardInput([file] + keks.map { $0.split(separator: "=").last.map(String.init) })
            let bytes = Array(try SecretFiles.text(file, option: "FILE").utf8)
            let ring = try SecretFiles.kekRing(keks, option: "--kek")
            let owner = try owner.map { try DeviceInput.text($0, "--owner") }
            let exports: [RootKeyExport]
            do {
                let isBatch = (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])?["devices"] != nil
                exports = isBatch ? try RootKeyExportBatch.decode(bytes).exports : [try RootKeyExport.decode(bytes)]
            } catch {
                throw CommandLineFailure.invalidData("\(file): \(error)")
            }
            let imported = try await admin.withServices {
                try await $0.joinDevices.importTransfers(exports, keks: ring, owner: owner, actor: commandLineActor)
            }
            print("Imported \(imported) transferred devices")
        }
    }
}
