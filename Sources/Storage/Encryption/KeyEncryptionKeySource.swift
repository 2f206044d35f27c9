import Foundation
import Logging

/// Where the key-encryption key comes from, in the order Gatehouse looks:
///
/// 1. `GATEHOUSE_KEK`: the key itself, 64 hex digits or base64 of 32 bytes (from a secret manager);
/// 2. `GATEHOUSE_KEK_FILE`: a file holding the key in one of those forms, or as 32 raw bytes
///    (a mounted secret);
/// 3. for the embedded SQLite default only: a `kek` file in the data directory, generated on first
///    start with mode 0600. That keeps `gatehouse serve` zero-configuration, but the key then sits
///    beside the database it protects (a copy of the directory holds both), so every start says so in
///    a warning. PostgreSQL is shared by several instances that must hold the same key, so it requires
///    1 or 2.
///
/// The description never shows the key.
public enum KeyEncryptionKeySource: Sendable, Equatable, CustomStringConvertible {
    case encoded(String)
    case file(path: String)
    case generatedFile(dataDirectory: String)

    public static let environmentVariable = "GATEHOUSE_KEK"
    public static let fileEnvironmentVariable = "GATEHOUSE_KEK_FILE"
    public static let generatedFileName = "kek"

    /// Picks the source from the environment, as described on the type.
    public static func fromEnvironment(
        _ environment: [String: String], storage: StorageConfiguration, dataDirectory: String
    ) throws(StorageError) -> KeyEncryptionKeySource {
        let value = environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        let path = environment[fileEnvironmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        switch (value, path) {
        case (.some, .some):
            throw .invalidConfiguration("set \(environmentVariable) or \(fileEnvironmentVariable), not both")
        case (.some(let value), nil):
            return .encoded(value)
        case (nil, .some(let path)):
            return .file(path: path)
        case (nil, nil):
            guard storage.isEmbedded else {
                throw .keyEncryptionKeyMissing(
                    "PostgreSQL is shared by several instances, which must all use the same key: set \(environmentVariable) or \(fileEnvironmentVariable)"
                )
            }
            return .generatedFile(dataDirectory: dataDirectory)
        }
    }

    /// Reads (or, for `.generatedFile`, creates on first use) the key.
    public func load(logger: Logger) throws(StorageError) -> KeyEncryptionKey {
        switch self {
        case .encoded(let text):
            return try KeyEncryptionKey(encoded: text)
        case .file(let path):
            return try Self.read(path: path, logger: logger)
        case .generatedFile(let directory):
            let path = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(Self.generatedFileName).path
            let key: KeyEncryptionKey
            let created: Bool
            if FileManager.default.fileExists(atPath: path) {
                (key, created) = (try Self.read(path: path, logger: logger), false)
            } else {
                (key, created) = try Self.generate(at: path, directory: directory, logger: logger)
            }
            logger.warning(
                "\(created ? "generated a" : "using the generated") key-encryption key beside the database; set \(Self.environmentVariable) or \(Self.fileEnvironmentVariable) to keep it elsewhere",
                metadata: ["path": "\(path)", "kek_id": "\(key.id)"]
            )
            return key
        }
    }

    public var description: String {
        switch self {
        case .encoded: "\(Self.environmentVariable) (<redacted>)"
        case .file(let path): "file \(path)"
        case .generatedFile(let directory): "generated file in \(directory)"
        }
    }

    private static func read(path: String, logger: Logger) throws(StorageError) -> KeyEncryptionKey {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw .keyEncryptionKeyInvalid("cannot read the key file \(path)")
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            logger.warning("the key-encryption key file is readable by other users; chmod 600 it", metadata: ["path": "\(path)"])
        }
        if contents.count == KeyEncryptionKey.byteCount {
            return try KeyEncryptionKey(bytes: [UInt8](contents))
        }
        guard let text = String(data: contents, encoding: .utf8) else {
            throw .keyEncryptionKeyInvalid("the key file \(path) holds neither 32 raw bytes nor text")
        }
        do {
            return try KeyEncryptionKey(encoded: text)
        } catch {
            throw .keyEncryptionKeyInvalid("the key file \(path) holds neither 32 raw bytes nor 64 hex digits nor base64 of 32 bytes")
        }
    }

    /// Creates the file with `O_EXCL` and mode 0600 in one step, so it is never readable by others and
    /// two processes starting at once cannot both write a key (the loser reads the winner's).
    private static func generate(
        at path: String, directory: String, logger: Logger
    ) throws(StorageError) -> (KeyEncryptionKey, Bool) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw .keyEncryptionKeyInvalid("cannot create the data directory \(directory)")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return (try read(path: path, logger: logger), false) }
            throw .keyEncryptionKeyInvalid("cannot create the key file \(path): \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let key = KeyEncryptionKey.generate()
        do {
            try handle.write(contentsOf: Data((key.base64ForKeyFile() + "\n").utf8))
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw .keyEncryptionKeyInvalid("cannot write the key file \(path)")
        }
        return (key, true)
    }
}
