public import Logging
import Synchronization

/// Sets up swift-log for the whole process: every `Logger` writes one line per event to standard error.
///
/// Call it first thing in a command. Without it swift-log writes to standard output, where log
/// lines would mix with a command's results.
public enum ProcessLogging {
    private static let isBootstrapped = Mutex(false)

    /// Routes every logger in the process to `destination` at `level`.
    ///
    /// swift-log allows one bootstrap per process and traps on a second; this call is idempotent
    /// instead: the first call wins and later calls do nothing, so tests may call it freely.
    public static func bootstrap(level: Logger.Level, destination: LogDestination = .standardError) {
        let isFirstCall = isBootstrapped.withLock { isBootstrapped in
            defer { isBootstrapped = true }
            return !isBootstrapped
        }
        guard isFirstCall else { return }
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, level: level, destination: destination)
        }
    }
}
