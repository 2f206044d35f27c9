import ArgumentParser
import BackendInterfaces
import Crypto
import Foundation
import GatehouseServer
import GatewayPKI
import JoinServer
import LoRaWAN
import SwiftASN1
import X509

/// `gatehouse js peer`: the Network and Application Servers the Join Server answers over the Backend
/// Interfaces. Each has a KEK that wraps the session keys sent to it, and a client certificate from our
/// CA that names it (`ns:<NetID>` or `as:<AS-ID>`). Both secrets are written once, to files, when made.
struct JoinPeerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer", abstract: "Add, list and remove the Join Server's peers; issue their client certificates.",
        subcommands: [Add.self, List.self, Remove.self, IssueCertificate.self])

    /// Files a peer's certificate is written to.
    static let certificateFile = "client.crt"
    static let keyFile = "client.key"
    static let trustAnchorFile = "ca.crt"
    /// The generated KEK, 32 hex digits.
    static let kekFile = "kek.hex"

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add (or re-key) a peer with the KEK that wraps its session keys.",
            discussion: """
                Without --kek-file a random 128-bit KEK is generated: it is written to \(JoinPeerCommand.kekFile) (mode 0600) in the \
                --cert-out folder, or printed once on standard output. With --cert-out the peer's client certificate is issued too: \
                \(JoinPeerCommand.certificateFile), \(JoinPeerCommand.keyFile) (0600) and \(JoinPeerCommand.trustAnchorFile) (the root CA).
                """)
        @OptionGroup var admin: AdminOptions
        @Argument(help: "ns:<NetID> (a Network Server) or as:<AS-ID> (an Application Server).") var peer: String
        @Option(name: .customLong("kek-label"), help: "The KEK's label in key envelopes (default: the peer, e.g. ns:000031).") var kekLabel: String?
        @Option(name: .customLong("kek-file"), help: "File holding the KEK (32 hex digits; - for standard input).") var kekFile: String?
        @Option(name: .customLong("cert-out"), help: "Folder for the generated KEK and the peer's client certificate.") var certOut: String?
        @Option(name: .customLong("validity-days")) var validityDays: Int = 365

        func run() async throws {
            let peer = try JoinPeerCommand.backendPeer(peer)
            let label = kekLabel ?? peer.description
            guard JoinNameRules.isValidKEKLabel(label) else { throw CommandLineFailure.usage("--kek-label: \(JoinNameRules.kekLabelRule)") }
            let generated = kekFile == nil
            let bytes = try kekFile.map { try SecretFiles.keyBytes($0, option: "--kek-file") } ?? SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
            guard let kek = LabeledKEK(label: label, bytes: bytes) else { preconditionFailure("a label and 16 bytes are a KEK") }
            if let certOut {
                try SecretFiles.makeDirectory(certOut)
                try SecretFiles.checkAbsent(JoinPeerCommand.certificateFiles(in: certOut) + (generated ? [SecretFiles.path(certOut, JoinPeerCommand.kekFile)] : []))
            }

            try await admin.withServices { services in
                // The certificate first: without a CA it fails before anything changed.
                var credentials: ServerCredentials?
                if certOut != nil {
                    credentials = try await services.pki.issueBackendClientCertificate(
                        commonName: peer.description, validityDays: validityDays, actor: commandLineActor)
                }
                try await services.joinDevices.setPeerKEK(peer, kek, actor: commandLineActor)
                // A generated KEK exists nowhere else: it goes out before anything else is written.
                if generated, let certOut {
                    let path = SecretFiles.path(certOut, JoinPeerCommand.kekFile)
                    try SecretFiles.writeNew(path, Array((Hex.encode(bytes) + "\n").utf8))
                    print("Peer \(peer) added; its KEK (label \"\(label)\") is in \(path) and nowhere else to be read: configure it on \(peer)")
                } else if generated {
                    standardError("Peer \(peer) added. Its KEK (label \"\(label)\") is shown once; configure it on \(peer) now:")
                    print(Hex.encode(bytes))
                } else {
                    print("Peer \(peer) added with KEK label \"\(label)\"")
                }
                if let certOut, let credentials {
                    try JoinPeerCommand.write(credentials, to: certOut)
                    standardError("Client certificate for \(peer) in \(certOut): \(JoinPeerCommand.certificateFile), \(JoinPeerCommand.keyFile) (0600), \(JoinPeerCommand.trustAnchorFile)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List peers and their KEK labels (never the KEKs).")
        @OptionGroup var admin: AdminOptions

        func run() async throws {
            let peers = try await admin.withServices { try await $0.joinDevices.peers() }
            for entry in peers.sorted(by: { $0.peer.description < $1.peer.description }) {
                print("\(entry.peer)  \(entry.kekLabel)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a peer: the Join Server refuses its requests from then on.")
        @OptionGroup var admin: AdminOptions
        @Argument var peer: String

        func run() async throws {
            let peer = try JoinPeerCommand.backendPeer(peer)
            try await admin.withServices { try await $0.joinDevices.removePeerKEK(peer, actor: commandLineActor) }
            print("Peer \(peer) removed")
        }
    }

    struct IssueCertificate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cert", abstract: "Issue a registered peer's client certificate for the Backend Interfaces listener.")
        @OptionGroup var admin: AdminOptions
        @Argument var peer: String
        @Option(name: .customLong("out"), help: "Folder for \(JoinPeerCommand.certificateFile), \(JoinPeerCommand.keyFile) and \(JoinPeerCommand.trustAnchorFile).")
        var outDirectory: String
        @Option(name: .customLong("validity-days")) var validityDays: Int = 365

        func run() async throws {
            let peer = try JoinPeerCommand.backendPeer(peer)
            try SecretFiles.makeDirectory(outDirectory)
            try SecretFiles.checkAbsent(JoinPeerCommand.certificateFiles(in: outDirectory))
            let credentials = try await admin.withServices { services in
                guard try await services.joinDevices.peers().contains(where: { $0.peer == peer }) else {
                    throw CommandLineFailure.invalidData("\(peer) is not a peer of this Join Server: add it first (gatehouse js peer add \(peer))")
                }
                return try await services.pki.issueBackendClientCertificate(commonName: peer.description, validityDays: validityDays, actor: commandLineActor)
            }
            try JoinPeerCommand.write(credentials, to: outDirectory)
            print("Client certificate for \(peer) in \(outDirectory) (the key exists only there)")
        }
    }

    static func backendPeer(_ text: String) throws -> BackendPeer {
        guard let peer = BackendPeer(text) else {
            throw CommandLineFailure.usage("PEER: use ns:<NetID, 6 hex digits> for a Network Server or as:<AS-ID> for an Application Server")
        }
        return peer
    }

    static func certificateFiles(in directory: String) -> [String] {
        [certificateFile, keyFile, trustAnchorFile].map { SecretFiles.path(directory, $0) }
    }

    /// The certificate with the issuing CA after it (the chain a client presents), its key, and the root.
    static func write(_ credentials: ServerCredentials, to directory: String) throws {
        let chain = try credentials.certificateChain.map { try $0.serializeAsPEM().pemString + "\n" }.joined()
        let root = try credentials.trustAnchor.serializeAsPEM().pemString + "\n"
        try SecretFiles.writeNew(SecretFiles.path(directory, keyFile), Array(credentials.privateKey.exportPEM().utf8), mode: 0o600)
        try SecretFiles.writeNew(SecretFiles.path(directory, certificateFile), Array(chain.utf8), mode: 0o644)
        try SecretFiles.writeNew(SecretFiles.path(directory, trustAnchorFile), Array(root.utf8), mode: 0o644)
    }
}
