import BackendInterfaces
import Foundation
import GatehouseServer
import LoRaWAN

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keys, KEKs and claim codes come to the CLI in files, never as arguments: an argument shows in `ps`
/// and in shell history. `-` reads standard input. Errors name the option and the file, never what it holds.
enum SecretFiles {
    /// The whole file (or standard input for `-`) as text.
    static func text(_ path: String, option: String) throws -> String {
        let data: Data?
        if path == "-" {
            data = try? FileHandle.standardInput.readToEnd() ?? Data()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else { throw CommandLineFailure.usage("\(option): cannot read \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandLineFailure.invalidData("\(option): \(path) is not text") }
        return text
    }

    /// 16 bytes written as 32 hex digits; surrounding whitespace is ignored.
    static func keyBytes(_ path: String, option: String) throws -> [UInt8] {
        let text = try text(path, option: option).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Hex.decode(text, count: 16) else {
            throw CommandLineFailure.invalidData("\(option): \(path) does not hold a 128-bit key (32 hex digits)")
        }
        return bytes
    }

    static func key<Role>(_ path: String, option: String) throws -> AES128Key<Role> {
        guard let key = AES128Key<Role>(bytes: try keyBytes(path, option: option)) else {
            preconditionFailure("16 bytes are an AES-128 key")
        }
        return key
    }

    /// `LABEL=FILE`: a key-encryption key and the label that names it in key envelopes.
    static func labeledKEK(_ argument: String, option: String) throws -> LabeledKEK {
        guard let separator = argument.lastIndex(of: "="), separator != argument.startIndex else {
            throw CommandLineFailure.usage("\(option): use LABEL=FILE (the KEK's label, and a file holding it as 32 hex digits)")
        }
        let label = String(argument[..<separator])
        guard JoinNameRules.isValidKEKLabel(label) else { throw CommandLineFailure.usage("\(option): \(JoinNameRules.kekLabelRule)") }
        guard let kek = LabeledKEK(label: label, bytes: try keyBytes(String(argument[argument.index(after: separator)...]), option: option)) else {
            preconditionFailure("a label and 16 bytes are a KEK")
        }
        return kek
    }

    /// Several `--kek LABEL=FILE`, each label once.
    static func kekRing(_ arguments: [String], option: String) throws -> KEKRing {
        let keks = try arguments.map { try labeledKEK($0, option: option) }
        if let repeated = Dictionary(grouping: keks, by: \.label).first(where: { $0.value.count > 1 })?.key {
            throw CommandLineFailure.usage("\(option): the label \"\(repeated)\" is given twice")
        }
        return KEKRing(keks)
    }

    /// Refuses two options that both read standard input: the second would read nothing.
    static func checkOneStandardInput(_ paths: [String?]) throws {
        if paths.count(where: { $0 == "-" }) > 1 { throw CommandLineFailure.usage("only one file can be standard input (-)") }
    }

    /// Creates `path` with `mode` set at creation (a secret is never readable by others, not even for an
    /// instant) and writes `contents`; an existing file is never replaced.
    static func writeNew(_ path: String, _ contents: [UInt8], mode: mode_t = 0o600) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists" : String(cString: strerror(errno))
            throw CommandLineFailure.invalidData("cannot write \(path): \(reason)")
        }
        defer { close(descriptor) }
        try writeAll(contents, to: descriptor, path: path, mode: mode)
    }

    /// Replaces `path` atomically: a temporary file with `mode`, flushed, then renamed over it.
    static func replace(_ path: String, _ contents: [UInt8], mode: mode_t = 0o600) throws {
        let temporary = path + ".partial"
        unlink(temporary)
        try writeNew(temporary, contents, mode: mode)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CommandLineFailure.invalidData("cannot replace \(path): \(reason)")
        }
    }

    private static func writeAll(_ contents: [UInt8], to descriptor: Int32, path: String, mode: mode_t) throws {
        // The umask may have removed bits; set exactly what was asked for.
        guard fchmod(descriptor, mode) == 0 else { throw CommandLineFailure.invalidData("cannot write \(path): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < contents.count {
            let count = contents.withUnsafeBytes { write(descriptor, $0.baseAddress.map { $0 + written }, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw CommandLineFailure.invalidData("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw CommandLineFailure.invalidData("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// Creates `directory` (mode 0700 when new) for files about to be written there.
    static func makeDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CommandLineFailure.invalidData("cannot create the folder \(directory)")
        }
    }

    /// `directory/name`.
    static func path(_ directory: String, _ name: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }

    /// Refuses up front when any of the files exists, so a command fails before it changes anything.
    static func checkAbsent(_ paths: [String]) throws {
        if let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw CommandLineFailure.invalidData("\(existing) already exists; choose an empty folder")
        }
    }
}
