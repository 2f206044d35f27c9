import Synchronization

/// Admission to a bounded backlog: a producer reserves room for one item before it produces it, and
/// waits, in the order it came, while the backlog is full; the consumer gives the room back when it
/// starts the item (``release(_:)``).
///
/// Waiting is the point: a producer that reads a socket stops reading it, so overload becomes TCP
/// backpressure towards the sender instead of memory. The state is one lock and a continuation per
/// waiting producer; a producer that finds room never suspends.
final class BacklogAdmission: Sendable {
    /// What an operator is told; both are called under the admission's lock, so they must be cheap
    /// (a gauge's atomic store, a counter) and must never call back into the admission.
    struct Observer: Sendable {
        /// The number of reservations, each time it changes.
        var backlogChanged: @Sendable (Int) -> Void = { _ in }
        /// A producer found the backlog full and waits.
        var waitedForRoom: @Sendable () -> Void = {}

        init(backlogChanged: @escaping @Sendable (Int) -> Void = { _ in }, waitedForRoom: @escaping @Sendable () -> Void = {}) {
            self.backlogChanged = backlogChanged
            self.waitedForRoom = waitedForRoom
        }
    }

    private struct State {
        var reserved = 0
        var closed = false
        /// Waiting producers by ticket; `order` says who came first (tickets of cancelled waiters are
        /// skipped when they come up).
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var order = FIFOQueue<UInt64>()
        var nextTicket: UInt64 = 0
    }

    /// The most reservations held at once.
    let capacity: Int
    private let observer: Observer
    private let state = Mutex(State())

    init(capacity: Int, observer: Observer = Observer()) {
        self.capacity = max(1, capacity)
        self.observer = observer
    }

    /// Reservations held now: items admitted and not yet started.
    var backlog: Int { state.withLock { $0.reserved } }
    /// Producers waiting for room now.
    var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// Reserves room for one item if there is room now and nobody waits; `nil` when the caller would
    /// have to wait, `false` when admission is closed.
    func reserveWithoutWaiting() -> Bool? {
        state.withLock { state in
            if state.closed { return false }
            guard state.waiters.isEmpty, state.reserved < capacity else { return nil }
            state.reserved += 1
            observer.backlogChanged(state.reserved)
            return true
        }
    }

    /// Reserves room for one item, waiting while the backlog is full. `false` when admission is closed
    /// or the waiting task was cancelled; nothing is reserved then.
    func reserve() async -> Bool {
        let immediate: Bool? = state.withLock { state in
            if state.closed { return false }
            // Nobody overtakes a waiting producer: room freed while others wait goes to them first.
            guard state.waiters.isEmpty, state.reserved < capacity else { return nil }
            state.reserved += 1
            observer.backlogChanged(state.reserved)
            return true
        }
        if let immediate { return immediate }
        observer.waitedForRoom()
        return await waitForRoom()
    }

    private func waitForRoom() async -> Bool {
        let ticket = state.withLock { state in
            state.nextTicket &+= 1
            return state.nextTicket
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answer: Bool? = state.withLock { state in
                    // The cancellation flag is read under the lock the handler below takes, so a
                    // cancellation either is seen here or finds the waiter registered.
                    if state.closed || Task.isCancelled { return false }
                    if state.waiters.isEmpty, state.reserved < capacity {
                        state.reserved += 1
                        observer.backlogChanged(state.reserved)
                        return true
                    }
                    state.waiters[ticket] = continuation
                    state.order.append(ticket)
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: ticket) }?.resume(returning: false)
        }
    }

    /// Gives back `count` reservations (their items started, or were never produced); the room goes to
    /// the producers waiting longest.
    func release(_ count: Int = 1) {
        guard count > 0 else { return }
        let admitted: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            var admitted: [CheckedContinuation<Bool, Never>] = []
            // A reservation handed to a waiter stays counted: it changes hands, not the backlog.
            while admitted.count < count, let ticket = state.order.popFirst() {
                if let waiter = state.waiters.removeValue(forKey: ticket) { admitted.append(waiter) }
            }
            state.reserved -= count - admitted.count
            if admitted.count < count { observer.backlogChanged(state.reserved) }
            return admitted
        }
        for waiter in admitted { waiter.resume(returning: true) }
    }

    /// Refuses every reservation from now on; the producers waiting get `false`. Reservations already
    /// held stay valid.
    func close() {
        let refused: [CheckedContinuation<Bool, Never>] = state.withLock { state in
            state.closed = true
            let refused = Array(state.waiters.values)
            state.waiters.removeAll()
            state.order = FIFOQueue()
            return refused
        }
        for waiter in refused { waiter.resume(returning: false) }
    }
}
