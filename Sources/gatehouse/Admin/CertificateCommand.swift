import ArgumentParser
import Foundation
import GatehouseServer
import GatewayPKI
import LoRaWAN

/// `gatehouse gateway cert`: issue, revoke and list a gateway's certificates.
struct CertificateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert", abstract: "Issue, revoke and list gateway certificates.", subcommands: [Issue.self, Revoke.self, List.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a certificate (earlier ones are revoked as superseded) and write it to --out.",
            discussion: "A server-generated key is written once, to --out, and kept nowhere else.")
        @OptionGroup var admin: AdminOptions
        @Argument var eui: String
        @Option(name: .customLong("out"), help: "Folder to write the files to (created; must not hold them already).") var outDirectory: String
        @Option(name: .customLong("format"), help: "pem (gateway.crt, gateway.key, chain.pem, root-ca.pem) or basicstation (cups.*, tc.* and a .tar).") var format: String = "pem"
        @Option(name: .customLong("key-type"), help: "p256 (default), rsa2048, rsa3072, rsa4096.") var keyType: String = "p256"
        @Option(name: .customLong("csr"), help: "The gateway's CSR (PEM): the key stays on the gateway.") var csrPath: String?
        @Option(name: .customLong("validity-days")) var validityDays: Int = GatewayCertificateProfile.defaultValidityDays
        @Option(name: .customLong("cups-uri"), help: "basicstation: https://host:port of CUPS.") var cupsURI: String?
        @Option(name: .customLong("tc-uri"), help: "basicstation: wss://host:port of the LNS.") var tcURI: String?
        @Option(name: .customLong("server-trust"), help: "basicstation: PEM the station trusts for the servers (default: Gatehouse's root CA, which signs the gateway listener's certificate).") var serverTrustPath: String?

        func run() async throws {
            let eui = try requireEUI(eui, "eui")
            guard format == "pem" || format == "basicstation" else { throw CommandLineFailure.usage("--format: use pem or basicstation") }
            guard let type = GatewayKeyType(name: keyType) else {
                throw CommandLineFailure.usage("--key-type: use one of \(GatewayKeyType.namesForHelp)")
            }
            var serverTrust = ""
            if format == "basicstation" {
                guard let cupsURI, let tcURI else { throw CommandLineFailure.usage("--format basicstation needs --cups-uri and --tc-uri") }
                do {
                    _ = try BasicsStationURI(cupsURI, for: .cups)
                    _ = try BasicsStationURI(tcURI, for: .tc)
                } catch { throw CommandLineFailure.usage("\(error)") }
                if let serverTrustPath { serverTrust = try readTextFile(serverTrustPath, option: "--server-trust") }
            }
            let csr = try csrPath.map { try readTextFile($0, option: "--csr") }
            try FileManager.default.createDirectory(atPath: outDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

            try await admin.withServices { services in
                let issued: IssuedGatewayCertificate
                let key: PrivateKeyPEM?
                if let csr {
                    issued = try await services.pki.issueCertificate(for: eui, certificationRequest: Array(csr.utf8), validityDays: validityDays, actor: commandLineActor)
                    key = nil
                } else {
                    let credentials = try await services.pki.issueCertificate(for: eui, keyType: type, validityDays: validityDays, actor: commandLineActor)
                    issued = credentials.certificate
                    key = credentials.privateKey
                }
                try write(issued, key: key, serverTrust: serverTrust.isEmpty ? issued.trustAnchorPEM : serverTrust)
                print("Issued certificate \(issued.record.serial) for \(eui), valid until \(ISO8601DateFormatter().string(from: issued.record.notAfter))")
                print("Files in \(outDirectory)\(key != nil ? " (the key exists only there)" : "")")
            }
        }

        private func write(_ issued: IssuedGatewayCertificate, key: PrivateKeyPEM?, serverTrust: String) throws {
            func path(_ name: String) -> String { URL(fileURLWithPath: outDirectory).appendingPathComponent(name).path }
            if format == "pem" {
                try writeNewFile(path("gateway.crt"), Array(issued.certificatePEM.utf8), mode: 0o644)
                try writeNewFile(path("chain.pem"), Array(issued.chainPEM.utf8), mode: 0o644)
                try writeNewFile(path("root-ca.pem"), Array(issued.trustAnchorPEM.utf8), mode: 0o644)
                if let key { try writeNewFile(path("gateway.key"), Array(key.exportPEM().utf8), mode: 0o600) }
                return
            }
            let bundle: BasicsStationBundle
            do {
                bundle = try BasicsStationBundle(
                    cupsURI: cupsURI ?? "", tcURI: tcURI ?? "", serverTrustPEM: serverTrust,
                    certificatePEM: issued.certificatePEM + issued.chainPEM, privateKeyPEM: key?.exportPEM())
            } catch { throw CommandLineFailure.invalidData("\(error)") }
            for file in bundle.files() { try writeNewFile(path(file.name), file.contents, mode: file.mode) }
            try writeNewFile(path("\(issued.record.gatewayEUI)-basicstation.tar"), bundle.tarArchive(modifiedAt: issued.record.issuedAt), mode: 0o600)
            if let notice = bundle.missingKeyNotice { print(notice) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a certificate; it is refused from the next handshake on.")
        @OptionGroup var admin: AdminOptions
        @Argument(help: "Serial number (hex).") var serial: String
        @Option(name: .customLong("reason"), help: "RFC 5280 reason: unspecified, keyCompromise, superseded, cessationOfOperation, ...") var reason: String = "unspecified"

        func run() async throws {
            guard let crlReason = CRLReason(name: reason) else {
                throw CommandLineFailure.usage("--reason: use one of \(CRLReason.allCases.map(\.description).joined(separator: ", "))")
            }
            let record = try await admin.withServices { try await $0.pki.revoke(serial: serial, reason: crlReason, actor: commandLineActor) }
            let revocation = record.revocation.map { "\($0.reason) at \(ISO8601DateFormatter().string(from: $0.time))" } ?? "revoked"
            print("Certificate \(record.serial) of \(record.gatewayEUI): \(revocation)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A gateway's certificates, newest first.")
        @OptionGroup var admin: AdminOptions
        @Argument var eui: String

        func run() async throws {
            let eui = try requireEUI(eui, "eui")
            let formatter = ISO8601DateFormatter()
            for record in try await admin.withServices({ try await $0.pki.certificates(of: eui) }) {
                let state = record.revocation.map { "revoked (\($0.reason))" } ?? "valid until \(formatter.string(from: record.notAfter))"
                print("\(record.serial)  \(record.keyAlgorithm)  \(record.keySource.rawValue)  issued \(formatter.string(from: record.issuedAt))  \(state)")
            }
        }
    }
}
