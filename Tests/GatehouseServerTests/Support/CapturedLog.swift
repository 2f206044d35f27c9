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

    /// Waits until `count` lines contain `fragment`, or gives up after `patience` (a liveness bound for
    /// lines logged just after the client saw the outcome, not a timing assertion). Returns the count.
    @discardableResult
    func waitFor(_ count: Int, containing fragment: String, patience: Duration = .seconds(10)) async -> Int {
        let deadline = ContinuousClock.now + patience
        while self.count(containing: fragment) < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return self.count(containing: fragment)
    }
}
