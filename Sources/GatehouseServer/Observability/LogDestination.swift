import Foundation

/// Where finished log lines go.
///
/// Production writes to standard error, one line per event, so that systemd, Docker and
/// Kubernetes collect them unchanged; tests pass a closure to see exactly what an operator would.
public struct LogDestination: Sendable {
    /// Receives one complete line, without the trailing newline.
    let write: @Sendable (String) -> Void

    /// Creates a destination that hands each line to `receive`.
    public static func lines(_ receive: @escaping @Sendable (String) -> Void) -> LogDestination {
        LogDestination(write: receive)
    }

    /// The process's standard error, one `write` per line so lines from concurrent tasks never interleave.
    public static let standardError = LogDestination { line in
        try? FileHandle.standardError.write(contentsOf: Data((line + "\n").utf8))
    }
}
