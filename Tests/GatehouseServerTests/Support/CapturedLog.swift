import GatehouseServer
import Synchronization

/// Collects the lines a server logs, exactly as an operator would see them on standard error.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    /// A destination that appends to this log.
    var destination: LogDestination {
        .lines { [self] line in lines.withLock { $0.append(line) } }
    }

    /// Everything logged so far, one event per line.
    var text: String {
        lines.withLock { $0.joined(separator: "\n") }
    }

    /// How many lines contain `fragment`.
    func count(containing fragment: String) -> Int {
        lines.withLock { $0.count { $0.contains(fragment) } }
    }
}
