import ApplicationServer
import ArgumentParser
import Foundation
import GatehouseServer
import LoRaWAN
import Storage

/// `gatehouse app`: the Application Server's applications, on the data directory (like `device`).
/// Webhook secrets are printed once, alone on standard output, when made; never again.
struct ApplicationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Create applications, their webhooks and secrets, and assign devices to them.",
        subcommands: [
            Create.self, List.self, Show.self, Delete.self, AddWebhook.self, RemoveWebhook.self, RotateSecret.self, Assign.self, Unassign.self,
        ])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an application; its webhook secret is printed once.",
            discussion: "The id is 1 to 64 lower-case letters, digits, '-', '_' or '.'; it appears in URLs and events.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "Application id.") var id: String
        @Option(name: .customLong("name"), help: "A name for people.") var name: String

        func run() async throws {
            let id = try ApplicationInput.id(id)
            let name = try ApplicationInput.name(name)
            let created = try await admin.withApplications { try await $0.create(id: id, name: name, actor: commandLineActor) }
            standardError("Application \(created.application.id) created; its webhook secret is shown once:")
            print(created.secret.exportText())
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List applications, by id.")
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            for application in try await admin.withApplications({ try await $0.applications() }) {
                print(ApplicationText.line(application))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an application, its webhooks and devices (never its secret).")
        @OptionGroup var admin: AdminOptions
        @Argument var id: String

        func run() async throws {
            let id = try ApplicationInput.id(id)
            let (application, devices) = try await admin.withApplications { administration in
                (try await administration.application(id), try await administration.devices(of: id))
            }
            ApplicationText.details(application, devices: devices).forEach { print($0) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an application with its webhooks and device assignments.")
        @OptionGroup var admin: AdminOptions
        @Argument var id: String

        func run() async throws {
            let id = try ApplicationInput.id(id)
            try await admin.withApplications { try await $0.delete(id, actor: commandLineActor) }
            print("Deleted application \(id)")
        }
    }

    struct AddWebhook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-webhook", abstract: "POST the application's events to a URL too; prints the webhook's id.")
        @OptionGroup var admin: AdminOptions
        @Argument var id: String
        @Argument(help: "An https:// (or http://) URL.") var url: String

        func run() async throws {
            let id = try ApplicationInput.id(id)
            let webhook = try await admin.withApplications { try await $0.addWebhook(to: id, url: url, actor: commandLineActor) }
            standardError("Webhook added to \(id): \(webhook.origin)")
            print(webhook.id.uuidString.lowercased())
        }
    }

    struct RemoveWebhook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-webhook", abstract: "Remove a webhook by its id.")
        @OptionGroup var admin: AdminOptions
        @Argument var id: String
        @Argument(help: "The webhook's id, as add-webhook or show printed it.") var webhookID: String

        func run() async throws {
            let id = try ApplicationInput.id(id)
            guard let webhook = UUID(uuidString: webhookID) else { throw CommandLineFailure.usage("WEBHOOK-ID: expected the webhook's id (a UUID)") }
            try await admin.withApplications { try await $0.removeWebhook(webhook, from: id, actor: commandLineActor) }
            print("Removed webhook \(webhook.uuidString.lowercased()) from \(id)")
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret", abstract: "Replace the webhook secret; the new one is printed once.",
            discussion: "Deliveries are signed with the new secret from now on, retries of older events included.")
        @OptionGroup var admin: AdminOptions
        @Argument var id: String

        func run() async throws {
            let id = try ApplicationInput.id(id)
            let secret = try await admin.withApplications { try await $0.rotateSecret(of: id, actor: commandLineActor) }
            standardError("The webhook secret of \(id) was replaced; the new one is shown once:")
            print(secret.exportText())
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign a device to the application (moving it from any other).")
        @OptionGroup var admin: AdminOptions
        @Argument var id: String
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String

        func run() async throws {
            let id = try ApplicationInput.id(id)
            let eui = try requireEUI(devEUI, "DEVEUI")
            try await admin.withApplications { try await $0.assign(eui, to: id, actor: commandLineActor) }
            print("Assigned device \(eui) to \(id)")
        }
    }

    struct Unassign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a device from the application.")
        @OptionGroup var admin: AdminOptions
        @Argument var id: String
        @Argument(help: "DevEUI (16 hex digits).") var devEUI: String

        func run() async throws {
            let id = try ApplicationInput.id(id)
            let eui = try requireEUI(devEUI, "DEVEUI")
            try await admin.withApplications { try await $0.unassign(eui, from: id, actor: commandLineActor) }
            print("Unassigned device \(eui) from \(id)")
        }
    }
}

/// The application commands' arguments, checked before the database is opened.
enum ApplicationInput {
    static func id(_ text: String) throws -> ApplicationID {
        guard let id = ApplicationID(text) else { throw CommandLineFailure.usage("ID: \(ApplicationID.rule)") }
        return id
    }

    static func name(_ text: String) throws -> String {
        do { return try ApplicationAdministration.name(text) } catch { throw CommandLineFailure.usage("--name: \(error)") }
    }
}

extension AdminOptions {
    /// Opens the services and runs `body` with the applications' administration; a refusal is one line
    /// on stderr with exit status 1.
    func withApplications<T>(_ body: (ApplicationAdministration) async throws -> T) async throws -> T {
        let logger = logger
        return try await withServices { services in
            do {
                return try await body(ApplicationAdministration(registry: services.store.applications, logger: logger))
            } catch let error as ApplicationAdministrationError {
                throw CommandLineFailure.invalidData(error.description)
            }
        }
    }
}
