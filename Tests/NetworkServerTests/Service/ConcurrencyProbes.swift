import Synchronization
import Testing

/// A latch a test opens: callers of ``pass()`` wait until it is open (or until their task is
/// cancelled), and the test can see how many have arrived, so it can hold work "in flight" on purpose.
final class TestGate: Sendable {
    private struct State {
        var open = false
        var arrivals = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = Mutex(State())

    /// How many callers have reached the gate, passed or not.
    var arrivals: Int { state.withLock { $0.arrivals } }

    func pass() async {
        let ticket = state.withLock { state in
            state.arrivals += 1
            return state.arrivals
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let passNow = state.withLock { state in
                    if state.open || Task.isCancelled { return true }
                    state.waiters[ticket] = continuation
                    return false
                }
                if passNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: ticket) }?.resume()
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Waits for work running on other tasks. The deadline is a safety net against a hang, not a
/// performance bound.
func waitUntil(_ what: Comment, _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(60))
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("not reached within 60 s: \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(2))
    }
}

/// Lets the other tasks run for a moment, for checks that something has *not* happened (yet).
func letOthersRun() async throws {
    for _ in 0 ..< 20 { await Task.yield() }
    try await Task.sleep(for: .milliseconds(30))
}
