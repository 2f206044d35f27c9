import Synchronization

/// Runs items on a bounded set of worker tasks with one lane per key: items of the same key are
/// handled one after another, in the order they were enqueued; items of different keys run in
/// parallel, at most `workers` at once. The backlog (items admitted and not yet started) is bounded by
/// a ``BacklogAdmission``: producers ``reserve()`` room before they produce, and wait while it is full.
///
/// Why not a task per item: tasks of one key then race (the Network Server saw the higher FCnt of a
/// device commit first and the lower one dropped as a replay), and the executor's run queue becomes
/// an unbounded backlog that starves every other task. Here a worker is a task that lives until
/// ``stop()``: workers start as work appears (up to the limit), take ready lanes (an item waiting and
/// no worker on the lane) round-robin, and park on a continuation when nothing is ready. Per item:
/// a short lock to reserve, one to enqueue and one to finish; no task, no actor hop.
final class OrderedLanes<Key: Hashable & Sendable, Item: Sendable>: Sendable {
    typealias Handler = @Sendable (Item) async -> Void

    private struct Job: Sendable {
        let key: Key
        let item: Item
    }

    /// A key with a worker on it or items waiting; a lane with neither is removed.
    private struct Lane {
        var running: Bool
        var waiting = FIFOQueue<Item>()
    }

    private enum Phase: Equatable {
        /// Taking items.
        case open
        /// ``stop()`` was called: items still come in (reservations made before are honoured) and all
        /// are handled; workers end when nothing is ready.
        case draining
        /// Items not yet started were dropped; workers end after their current item.
        case discarding
        /// Every worker has ended; items are refused.
        case stopped
    }

    private struct State {
        var phase = Phase.open
        var lanes: [Key: Lane] = [:]
        /// Keys of lanes with an item waiting and no worker, in the order they became ready. Invariant:
        /// a worker parks only when this is empty.
        var ready = FIFOQueue<Key>()
        var parked: [CheckedContinuation<Job?, Never>] = []
        /// Workers alive (running an item, between items, or parked).
        var workers = 0
        /// Every worker started (at most `workerLimit` while open, so the list stays short); ``stop()``
        /// awaits them.
        var workerTasks: [Task<Void, Never>] = []
        var queued = 0
        var running = 0
        var discarded = 0

        /// Takes the first ready lane's next item, marking the lane as running.
        mutating func takeReady() -> Job? {
            guard let key = ready.popFirst(), let item = lanes[key]?.waiting.popFirst() else { return nil }
            lanes[key]?.running = true
            queued -= 1
            running += 1
            return Job(key: key, item: item)
        }

        /// The worker on `key` is done with its item: the lane is ready again if more is waiting.
        mutating func finish(_ key: Key) {
            running -= 1
            guard var lane = lanes.removeValue(forKey: key) else { return }
            guard !lane.waiting.isEmpty else { return }
            lane.running = false
            lanes[key] = lane
            ready.append(key)
        }
    }

    private enum Admission {
        case refused
        case queued
        case handedTo(CheckedContinuation<Job?, Never>, Job)
        case startedWorker
    }

    private enum NextJob {
        case job(Job)
        case park
        case end
    }

    /// The most items running at once.
    let workerLimit: Int
    private let admission: BacklogAdmission
    private let handler: Handler
    private let state = Mutex(State())

    /// - Parameters:
    ///   - workers: the most items handled at the same time.
    ///   - backlog: the most items admitted and not yet started; producers wait beyond it.
    init(workers: Int, backlog: Int, observer: BacklogAdmission.Observer = .init(), handler: @escaping Handler) {
        workerLimit = max(1, workers)
        admission = BacklogAdmission(capacity: backlog, observer: observer)
        self.handler = handler
    }

    // MARK: Producers

    /// Reserves room for one item, waiting while the backlog is full; `false` once stopping (or when the
    /// waiting task is cancelled), and then nothing is reserved. Each reservation is used by one
    /// ``enqueue(_:key:)`` or given back with ``release()``.
    func reserve() async -> Bool {
        await admission.reserve()
    }

    /// ``reserve()`` without waiting: `nil` when the backlog is full (or others wait for room).
    func reserveWithoutWaiting() -> Bool? {
        admission.reserveWithoutWaiting()
    }

    /// Gives back a reservation that will not be used.
    func release() {
        admission.release()
    }

    /// Queues `item` behind the items of `key` already queued or running, using a reservation made
    /// with ``reserve()``. Never waits. `false` once stopped: the item is dropped and the reservation
    /// given back.
    @discardableResult
    func enqueue(_ item: Item, key: Key) -> Bool {
        let admission: Admission = state.withLock { state in
            switch state.phase {
            case .stopped, .discarding: return .refused
            case .open, .draining: break
            }
            if state.lanes[key] != nil {
                // Behind the item running or waiting on this key; the lane is already running or ready.
                state.lanes[key]?.waiting.append(item)
                state.queued += 1
                return .queued
            }
            let job = Job(key: key, item: item)
            if let worker = state.parked.popLast() {
                state.lanes[key] = Lane(running: true)
                state.running += 1
                return .handedTo(worker, job)
            }
            if state.workers < workerLimit {
                state.lanes[key] = Lane(running: true)
                state.running += 1
                state.workers += 1
                // Made under the lock so that `workers` and `workerTasks` always agree for stop().
                state.workerTasks.append(Task { await self.work(startingWith: job) })
                return .startedWorker
            }
            var lane = Lane(running: false)
            lane.waiting.append(item)
            state.lanes[key] = lane
            state.ready.append(key)
            state.queued += 1
            return .queued
        }
        switch admission {
        case .refused:
            self.admission.release()
            return false
        case .queued:
            return true
        case .handedTo(let worker, let job):
            self.admission.release()
            worker.resume(returning: job)
            return true
        case .startedWorker:
            self.admission.release()
            return true
        }
    }

    // MARK: Workers

    private func work(startingWith first: Job) async {
        var job: Job? = first
        while let current = job {
            await handler(current.item)
            job = await next(after: current.key)
        }
    }

    private func next(after key: Key) async -> Job? {
        let next: NextJob = state.withLock { state in
            state.finish(key)
            return Self.nextJob(&state)
        }
        switch next {
        case .job(let job):
            admission.release()
            return job
        case .end:
            return nil
        case .park:
            return await park()
        }
    }

    private func park() async -> Job? {
        await withCheckedContinuation { continuation in
            // Checked again under the lock: an item may have arrived since the worker found none.
            let next: NextJob = state.withLock { state in
                let next = Self.nextJob(&state)
                if case .park = next { state.parked.append(continuation) }
                return next
            }
            switch next {
            case .job(let job):
                admission.release()
                continuation.resume(returning: job)
            case .end:
                continuation.resume(returning: nil)
            case .park:
                break
            }
        }
    }

    /// What a worker without an item does: take the next ready lane, park, or end (counted here).
    private static func nextJob(_ state: inout State) -> NextJob {
        switch state.phase {
        case .open:
            if let job = state.takeReady() { return .job(job) }
            return .park
        case .draining:
            if let job = state.takeReady() { return .job(job) }
            state.workers -= 1
            return .end
        case .discarding, .stopped:
            state.workers -= 1
            return .end
        }
    }

    // MARK: Stopping

    /// Stops admitting: producers waiting for room, and any that come later, get `false`. Items already
    /// admitted may still be enqueued until ``stop()`` ends.
    func closeAdmission() {
        admission.close()
    }

    /// Closes admission, handles every item admitted, and returns once no worker is left. If the
    /// calling task is cancelled, the items not yet started are dropped instead and the running ones
    /// are cancelled (a handler that ignores cancellation is still waited for: no task is left
    /// behind). Returns how many items were dropped.
    @discardableResult
    func stop() async -> Int {
        admission.close()
        let idle: [CheckedContinuation<Job?, Never>] = state.withLock { state in
            if case .open = state.phase { state.phase = .draining }
            // Nothing is ready while workers are parked, so the parked ones have nothing to drain.
            return Self.unpark(&state)
        }
        for worker in idle { worker.resume(returning: nil) }
        await withTaskCancellationHandler {
            await waitForWorkers()
        } onCancel: {
            discardQueued()
        }
        return state.withLock { $0.discarded }
    }

    /// Stops without waiting (the owner is going away): admission closes, items not yet started are
    /// dropped, parked workers end and running ones end after their item.
    func abandon() {
        admission.close()
        discardQueued(cancellingWorkers: false)
    }

    private func waitForWorkers() async {
        var awaited = 0
        while true {
            // Workers may still start while draining (an item enqueued with an earlier reservation).
            let started: ArraySlice<Task<Void, Never>>? = state.withLock { state in
                // Every worker counted in `workers` has its task in the list, so all awaited means none left.
                if state.workerTasks.count == awaited {
                    state.phase = .stopped
                    return nil
                }
                return state.workerTasks[awaited...]
            }
            guard let started else { return }
            for task in started { await task.value }
            awaited += started.count
        }
    }

    private func discardQueued(cancellingWorkers: Bool = true) {
        let (idle, dropped, tasks): ([CheckedContinuation<Job?, Never>], Int, [Task<Void, Never>]) = state.withLock { state in
            guard state.phase != .stopped else { return ([], 0, []) }
            state.phase = .discarding
            let dropped = state.queued
            state.discarded += dropped
            state.queued = 0
            state.ready = FIFOQueue()
            // Running lanes stay (their workers finish them); their waiting items go.
            state.lanes = state.lanes.filter(\.value.running).mapValues { _ in Lane(running: true) }
            return (Self.unpark(&state), dropped, state.workerTasks)
        }
        admission.release(dropped)
        for worker in idle { worker.resume(returning: nil) }
        if cancellingWorkers { for task in tasks { task.cancel() } }
    }

    private static func unpark(_ state: inout State) -> [CheckedContinuation<Job?, Never>] {
        let parked = state.parked
        state.parked = []
        state.workers -= parked.count
        return parked
    }

    // MARK: Status

    /// Items admitted and not yet started (reserved, or queued in a lane).
    var backlog: Int { admission.backlog }
    /// Producers waiting for room.
    var waitingProducers: Int { admission.waitingCount }
    /// Items queued in lanes, not yet started.
    var queuedCount: Int { state.withLock { $0.queued } }
    /// Items being handled now.
    var runningCount: Int { state.withLock { $0.running } }
    /// Worker tasks alive.
    var workerCount: Int { state.withLock { $0.workers } }
}
