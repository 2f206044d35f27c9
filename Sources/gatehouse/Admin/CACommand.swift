import ArgumentParser
import Foundation
import GatehouseServer
import GatewayPKI
import SwiftASN1
import X509

/// `gatehouse ca`: the certificate authorities that sign and verify gateway certificates.
struct CACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca", abstract: "Manage the certificate authorities.",
        subcommands: [Initialize.self, Import.self, TrustVendor.self, List.self, ExportRootKey.self])

    struct Initialize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a root CA and the issuing CA that signs gateway certificates.")
        @OptionGroup var admin: AdminOptions
        @Option(name: .customLong("key-type"), help: "p256 (default), p384, rsa3072 or rsa4096.") var keyType: String = "p256"
        @Option(name: .customLong("common-name"), help: "Base name of the CAs.") var commonName: String = "Gatehouse"
        @Option(name: .customLong("organization"), help: "Organization (O) of the CAs.") var organization: String?

        func run() async throws {
            guard let type = CertificateAuthorityKeyType(name: keyType) else {
                throw CommandLineFailure.usage("--key-type: use one of \(CertificateAuthorityKeyType.namesForHelp)")
            }
            let created = try await admin.withServices { services in
                try await services.pki.initializeAuthority(commonName: commonName, organization: organization, keyType: type, actor: commandLineActor)
            }
            print("Created root CA     \(created.root.id)")
            print("Created issuing CA  \(created.issuing.id)")
            let environment = ProcessInfo.processInfo.environment
            if environment["GATEHOUSE_KEK"] == nil && environment["GATEHOUSE_KEK_FILE"] == nil && admin.databaseURL == nil {
                print("CA keys are sealed under the key-encryption key in \(admin.effectiveDataDirectory)/kek;")
                print("  keep a copy apart from the database, or set GATEHOUSE_KEK / GATEHOUSE_KEK_FILE.")
            }
            print("Take the root offline with: gatehouse ca export-root-key --out root-ca.key --remove")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import an existing CA (PEM certificate and key) to sign gateway certificates.")
        @OptionGroup var admin: AdminOptions
        @Option(name: .customLong("cert"), help: "PEM certificate of the CA.") var certificatePath: String
        @Option(name: .customLong("key"), help: "PEM private key of the CA.") var keyPath: String

        func run() async throws {
            let certificate = try readTextFile(certificatePath, option: "--cert")
            let key = try readTextFile(keyPath, option: "--key")
            let record = try await admin.withServices { services in
                try await services.pki.importAuthority(certificatePEM: certificate, privateKeyPEM: key, actor: commandLineActor)
            }
            print("Imported issuing CA \(record.id)")
        }
    }

    struct TrustVendor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "trust-vendor", abstract: "Trust a gateway vendor's CA for verification only.")
        @OptionGroup var admin: AdminOptions
        @Option(name: .customLong("cert"), help: "PEM certificate of the vendor CA.") var certificatePath: String

        func run() async throws {
            let certificate = try readTextFile(certificatePath, option: "--cert")
            let record = try await admin.withServices { services in
                try await services.pki.trustVendorAuthority(certificatePEM: certificate, actor: commandLineActor)
            }
            print("Trusting vendor CA \(record.id)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the CAs (never their keys).")
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            let authorities = try await admin.withServices { try await $0.pki.authorities() }
            for record in authorities {
                let certificate = try? Certificate(derEncoded: record.certificateDER)
                let subject = certificate.map { "\($0.subject)" } ?? "?"
                let expiry = certificate.map { ISO8601DateFormatter().string(from: $0.notValidAfter) } ?? "?"
                print("\(record.role.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(record.id.prefix(16))…  \(subject)  until \(expiry)")
            }
        }
    }

    struct ExportRootKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export-root-key", abstract: "Write the root CA's key to a file (mode 0600), and with --remove delete it from Gatehouse.")
        @OptionGroup var admin: AdminOptions
        @Option(name: .customLong("out"), help: "File to create for the key.") var outPath: String
        @Flag(name: .customLong("remove"), help: "Remove the key from Gatehouse afterwards (offline root).") var remove = false

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: outPath) else { throw CommandLineFailure.usage("--out: \(outPath) already exists") }
            // The key is removed only after its copy is safely on disk.
            try await admin.withServices { services in
                let pem = try await services.pki.exportRootKey(remove: false, actor: commandLineActor)
                try writeNewFile(outPath, Array(pem.exportPEM().utf8), mode: 0o600)
                if remove { _ = try await services.pki.exportRootKey(remove: true, actor: commandLineActor) }
            }
            print("Root CA key written to \(outPath)\(remove ? " and removed from Gatehouse" : "")")
        }
    }
}
