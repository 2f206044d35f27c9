import ArgumentParser
import Foundation
import GatehouseServer
import Storage

/// `gatehouse apikey`: the operator API keys the REST API accepts as `Authorization: Bearer ...`.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Create, list and revoke operator API keys.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; it is printed once and stored only as a hash.")
        @OptionGroup var admin: AdminOptions
        @Option(name: .customLong("name"), help: "What the key is for (shown in lists and the audit log).") var name: String

        func run() async throws {
            let key = try await admin.withServices { services in
                try await services.store.apiKeys.create(name: name, at: Date(), actor: commandLineActor)
            }
            standardError("API key \(key.record.id) \"\(key.record.name)\" created; it is shown once:")
            print(key.plaintextKey)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            let formatter = ISO8601DateFormatter()
            for record in try await admin.withServices({ try await $0.store.apiKeys.list() }) {
                let state = record.revokedAt.map { "revoked \(formatter.string(from: $0))" } ?? "active"
                print("\(record.id)  \(formatter.string(from: record.createdAt))  \(state)  \(record.name)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id.")
        @OptionGroup var admin: AdminOptions
        @Argument var id: String

        func run() async throws {
            let outcome = try await admin.withServices { try await $0.store.apiKeys.revoke(id: id, at: Date(), actor: commandLineActor) }
            print("\(outcome)")
        }
    }
}
