import ArgumentParser
import Foundation
import GatehouseServer
import GatewayPKI
import LoRaWAN

/// `gatehouse gateway`: the gateways and their certificates.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Register gateways and manage their certificates.",
        subcommands: [Add.self, List.self, Show.self, Delete.self, CertificateCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a gateway by EUI-64 or MAC-48.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "EUI-64 (16 hex digits, any separators) or MAC-48 (12 hex digits; FFFE is inserted).") var identifier: String
        @Option(name: .customLong("name"), help: "A name for people.") var name: String
        @Option(name: .customLong("network"), help: "The network (group of gateways) it belongs to.") var network: String = "default"
        @Option(name: .customLong("frequency-plan"), help: "EU868, US915, AU915 or AS923-1.") var frequencyPlan: String
        @Option(name: .customLong("latitude")) var latitude: Double?
        @Option(name: .customLong("longitude")) var longitude: Double?
        @Option(name: .customLong("altitude")) var altitude: Double?

        func run() async throws {
            let eui = try requireEUI(identifier, "eui", acceptMAC: true)
            guard let region = Region(frequencyPlan) else {
                throw CommandLineFailure.usage("--frequency-plan: use one of \(Region.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var location: GatewayLocation?
            switch (latitude, longitude) {
            case (nil, nil): location = nil
            case (let lat?, let lon?):
                guard let value = GatewayLocation(latitude: lat, longitude: lon, altitude: altitude) else {
                    throw CommandLineFailure.usage("--latitude must be within ±90 and --longitude within ±180")
                }
                location = value
            default: throw CommandLineFailure.usage("give both --latitude and --longitude, or neither")
            }
            let record = try await admin.withServices { services in
                try await services.pki.registerGateway(eui: eui, name: name, network: network, location: location, frequencyPlan: region, actor: commandLineActor)
            }
            print("Registered gateway \(record.eui) (\(record.eui.id6)) \"\(record.name)\" in \(record.network), \(record.frequencyPlan.rawValue)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List gateways.")
        @OptionGroup var admin: AdminOptions
        @Option(name: .customLong("network")) var network: String?

        func run() async throws {
            for gateway in try await admin.withServices({ try await $0.pki.gateways(network: network) }) {
                print("\(gateway.eui)  \(gateway.frequencyPlan.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(gateway.network)  \(gateway.name)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a gateway and its current certificate.")
        @OptionGroup var admin: AdminOptions
        @Argument var eui: String

        func run() async throws {
            let eui = try requireEUI(eui, "eui")
            let (gateway, current) = try await admin.withServices { services in
                (try await services.pki.gateway(eui), try await services.pki.currentCertificate(of: eui))
            }
            print("EUI            \(gateway.eui) (ID6 \(gateway.eui.id6))")
            print("Name           \(gateway.name)")
            print("Network        \(gateway.network)")
            print("Frequency plan \(gateway.frequencyPlan.rawValue)")
            if let location = gateway.location { print("Location       \(location.latitude), \(location.longitude)\(location.altitude.map { ", \($0) m" } ?? "")") }
            if let current {
                print("Certificate    serial \(current.serial), \(current.keyAlgorithm), valid until \(ISO8601DateFormatter().string(from: current.notAfter))")
            } else {
                print("Certificate    none valid")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a gateway and revoke its certificates.")
        @OptionGroup var admin: AdminOptions
        @Argument var eui: String

        func run() async throws {
            let eui = try requireEUI(eui, "eui")
            try await admin.withServices { try await $0.pki.deleteGateway(eui, actor: commandLineActor) }
            print("Deleted gateway \(eui); its certificates are revoked")
        }
    }
}
