import Synchronization

/// A fixed set of connections, each lent to one task at a time.
///
/// SQLite connections are not pooled by the driver, and a transaction must own its connection from
/// `BEGIN` to `COMMIT`: one lender with a single connection serialises writers in-process (so they
/// queue here instead of spinning on SQLite's busy handler), another lends the read-only connections.
final class ConnectionLender<Connection: Sendable>: Sendable {
    private struct State {
        var idle: [Connection]
        var waiters: [CheckedContinuation<Connection, any Error>] = []
        var lent = 0
        var closed = false
        var drainWaiter: CheckedContinuation<Void, Never>?
    }

    private let state: Mutex<State>

    init(_ connections: [Connection]) {
        state = Mutex(State(idle: connections))
    }

    /// Lends a connection to `body` and takes it back afterwards, whether `body` returns or throws.
    func withConnection<Result>(_ body: (Connection) async throws -> Result) async throws -> Result {
        let connection = try await borrow()
        defer { giveBack(connection) }
        return try await body(connection)
    }

    /// Refuses new borrowers, waits until every lent connection is back, and returns them all.
    func drain() async -> [Connection] {
        let failed: [CheckedContinuation<Connection, any Error>] = state.withLock { state in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in failed { waiter.resume(throwing: StorageError.closed) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if state.lent == 0 { return true }
                state.drainWaiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
        return state.withLock { state in
            defer { state.idle.removeAll() }
            return state.idle
        }
    }

    private func borrow() async throws -> Connection {
        // Fast path: an idle connection, no continuation allocated.
        let ready: Result<Connection, StorageError>? = state.withLock { state in
            if state.closed { return .failure(.closed) }
            guard let connection = state.idle.popLast() else { return nil }
            state.lent += 1
            return .success(connection)
        }
        if let ready { return try ready.get() }
        return try await withCheckedThrowingContinuation { continuation in
            let now: Result<Connection, StorageError>? = state.withLock { state in
                if state.closed { return .failure(.closed) }
                if let connection = state.idle.popLast() {
                    state.lent += 1
                    return .success(connection)
                }
                state.waiters.append(continuation)
                return nil
            }
            if let now { continuation.resume(with: now.mapError { $0 as any Error }) }
        }
    }

    private enum AfterGiveBack {
        case handOver(CheckedContinuation<Connection, any Error>)
        case finishDrain(CheckedContinuation<Void, Never>)
        case none
    }

    private func giveBack(_ connection: Connection) {
        let next: AfterGiveBack = state.withLock { state in
            if !state.closed, !state.waiters.isEmpty {
                // Stays lent: it passes straight to the next borrower.
                return .handOver(state.waiters.removeFirst())
            }
            state.lent -= 1
            state.idle.append(connection)
            if state.closed, state.lent == 0, let drain = state.drainWaiter {
                state.drainWaiter = nil
                return .finishDrain(drain)
            }
            return .none
        }
        switch next {
        case .handOver(let waiter): waiter.resume(returning: connection)
        case .finishDrain(let drain): drain.resume()
        case .none: break
        }
    }
}
