import ArgumentParser
import Foundation
import GatehouseServer
import Storage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `gatehouse keys rotate-kek`: re-seals every stored secret (CA keys, root keys, master keys, peer KEKs)
/// under a new key-encryption key, in one transaction, and makes it the database's key.
struct KEKRotationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-kek", abstract: "Re-encrypt every stored secret under a new key-encryption key.",
        discussion: """
            Stop every Gatehouse using the database first: a running instance keeps the old key and would seal new secrets under it. \
            The current key is read as `gatehouse serve` reads it (GATEHOUSE_KEK, GATEHOUSE_KEK_FILE or the data directory's kek \
            file); the new one from --new-kek-file (64 hex digits, base64 of 32 bytes, or 32 raw bytes). When the current key is the \
            generated kek file, the new key replaces it there and the old one is kept beside it for backups made before the rotation.
            """)
    @OptionGroup var admin: AdminOptions
    @Option(name: .customLong("new-kek-file"), help: "File holding the new key-encryption key (AES-256).") var newKEKFile: String

    func run() async throws {
        let configuration = try admin.configuration()
        let logger = admin.logger
        let source: KeyEncryptionKeySource
        do {
            source = try KeyEncryptionKeySource.fromEnvironment(
                configuration.keyEncryptionKeyEnvironment, storage: configuration.storage, dataDirectory: configuration.dataDirectory)
        } catch {
            throw CommandLineFailure.usage(error.description)
        }
        // Loading the generated source would create a key file; with none there, there is nothing to rotate.
        if case .generatedFile(let directory) = source, !FileManager.default.fileExists(atPath: Self.generatedKeyPath(directory)) {
            throw CommandLineFailure.invalidData("there is no key-encryption key in \(directory): no Gatehouse data to re-encrypt there")
        }
        let (oldKey, newKey): (KeyEncryptionKey, KeyEncryptionKey)
        let newKeyFileContents: [UInt8]
        do {
            oldKey = try source.load(logger: logger)
            newKey = try KeyEncryptionKeySource.file(path: newKEKFile).load(logger: logger)
            guard let contents = FileManager.default.contents(atPath: newKEKFile) else { throw StorageError.keyEncryptionKeyInvalid("cannot read \(newKEKFile)") }
            newKeyFileContents = Array(contents)
        } catch let error as StorageError {
            throw CommandLineFailure.invalidData(error.description)
        }
        guard newKey.id != oldKey.id else { throw CommandLineFailure.usage("--new-kek-file holds the key in use (id \(oldKey.id)): nothing to rotate") }

        standardError("Re-encrypting every secret under key \(newKey.id); every Gatehouse using this database must be stopped")
        let count: Int
        do {
            count = try await GatehouseStore.rotateKeyEncryptionKey(configuration.storage, from: oldKey, to: newKey, logger: logger)
        } catch let error as StorageError {
            throw CommandLineFailure.invalidData("nothing was changed: \(error.description)")
        }
        print("Re-encrypted \(count) secrets under key-encryption key \(newKey.id) (it was \(oldKey.id))")

        switch source {
        case .generatedFile(let directory):
            try Self.replaceGeneratedKey(in: directory, with: newKeyFileContents, from: newKEKFile, oldKeyID: oldKey.id)
        case .encoded:
            print("Set \(KeyEncryptionKeySource.environmentVariable) to the new key before Gatehouse starts again: the old key no longer opens the database")
        case .file(let path):
            print("Put the new key in \(path), or point \(KeyEncryptionKeySource.fileEnvironmentVariable) at \(newKEKFile), before Gatehouse starts again: the old key no longer opens the database")
        }
    }

    static func generatedKeyPath(_ directory: String) -> String {
        SecretFiles.path(directory, KeyEncryptionKeySource.generatedFileName)
    }

    /// Puts the new key where `gatehouse serve` looks for it, and keeps the old one (0600) beside it: the
    /// database no longer needs it, but backups taken before the rotation do.
    private static func replaceGeneratedKey(in directory: String, with contents: [UInt8], from newKEKFile: String, oldKeyID: String) throws {
        let path = generatedKeyPath(directory)
        let previous = path + ".previous-\(oldKeyID)"
        guard link(path, previous) == 0 || errno == EEXIST else {
            throw CommandLineFailure.invalidData(
                "the database now uses the new key, but the old key could not be kept as \(previous): \(String(cString: strerror(errno))); copy \(newKEKFile) to \(path) yourself")
        }
        do {
            try SecretFiles.replace(path, contents)
        } catch {
            throw CommandLineFailure.invalidData("the database now uses the new key, but \(path) could not be updated: copy \(newKEKFile) to \(path) yourself")
        }
        print("The new key is in \(path); the previous key is kept in \(previous) for backups made before now: delete it once they are gone")
    }
}
