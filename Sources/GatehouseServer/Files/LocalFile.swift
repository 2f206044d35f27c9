#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The few file operations Gatehouse needs for secrets, done with POSIX calls so that the
/// permission bits are set when a file or folder is created rather than fixed up afterwards.
enum LocalFile {
    /// Returns the whole content of the file at `path`.
    static func contents(of path: String) throws(LocalFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .failed(.read, path: path, errno: errno) }
        defer { close(descriptor) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return content }
            if count < 0 {
                if errno == EINTR { continue }
                throw .failed(.read, path: path, errno: errno)
            }
            content += chunk[..<count]
        }
    }

    /// Whether something exists at `path` (a dangling symbolic link counts as nothing).
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// The permission bits of the file or folder at `path`, such as `0o600`.
    static func permissions(of path: String) throws(LocalFileError) -> mode_t {
        // Foundation's view of stat(2): `struct stat` is declared by several imported C modules, and
        // which one a file sees depends on what else the module imports.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let bits = (attributes[.posixPermissions] as? NSNumber)?.uint16Value
        else { throw .failed(.inspect, path: path, errno: errno == 0 ? ENOENT : errno) }
        return mode_t(bits) & 0o7777
    }

    /// Creates the folder at `path` and any missing parents; a folder this call creates gets `permissions`.
    static func makeDirectory(_ path: String, permissions: mode_t) throws(LocalFileError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, permissions) != 0, errno != EEXIST {
                throw .failed(.createDirectory, path: prefix, errno: errno)
            }
            prefix += "/"
        }
    }

    /// Writes `content` to `path` so that readers see either the old file or the whole new one.
    ///
    /// The content goes to a temporary file in the same folder, created with `permissions` (so a
    /// private key is never readable by others, not even for an instant), flushed to disk, then
    /// renamed over `path`.
    static func writeAtomically(_ content: [UInt8], to path: String, permissions: mode_t) throws(LocalFileError) {
        let temporaryPath = path + ".partial"
        unlink(temporaryPath)
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard descriptor >= 0 else { throw .failed(.write, path: temporaryPath, errno: errno) }
        do throws(LocalFileError) {
            // The umask may have removed bits; set exactly what was asked for.
            guard fchmod(descriptor, permissions) == 0 else { throw .failed(.write, path: temporaryPath, errno: errno) }
            var written = 0
            while written < content.count {
                let count = content.withUnsafeBytes { bytes in
                    write(descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw .failed(.write, path: temporaryPath, errno: errno)
                }
                written += count
            }
            guard fsync(descriptor) == 0 else { throw .failed(.write, path: temporaryPath, errno: errno) }
        } catch {
            close(descriptor)
            unlink(temporaryPath)
            throw error
        }
        close(descriptor)
        guard rename(temporaryPath, path) == 0 else {
            let failure = errno
            unlink(temporaryPath)
            throw .failed(.write, path: path, errno: failure)
        }
    }
}

/// A file operation that failed, with the operating system's reason.
struct LocalFileError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Operation: String, Sendable {
        case read = "read"
        case write = "write"
        case inspect = "inspect"
        case createDirectory = "create the folder"
    }

    var operation: Operation
    var path: String
    /// The `errno` value reported by the failing call.
    var code: Int32

    static func failed(_ operation: Operation, path: String, errno code: Int32) -> Self {
        Self(operation: operation, path: path, code: code)
    }

    /// The operating system's own words for ``code``, such as "No such file or directory".
    var reason: String {
        String(cString: strerror(code))
    }

    var description: String {
        "Cannot \(operation.rawValue) \(path): \(reason)."
    }
}
