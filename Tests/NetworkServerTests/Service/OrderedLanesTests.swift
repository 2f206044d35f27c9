@testable import NetworkServer
import Synchronization
import Testing

/// The keyed executor behind the Network Server's uplink processing: order per key, parallelism across
/// keys within the worker limit, a bounded backlog that makes producers wait, and a clean stop.
@Suite struct OrderedLanesTests {
    /// Records what the handler saw: per key the items in handling order, and the most items running
    /// at once, overall and per key.
    final class Journal: Sendable {
        private struct State {
            var handled: [Int: [Int]] = [:]
            var runningPerKey: [Int: Int] = [:]
            var running = 0
            var mostRunning = 0
            var mostRunningOfOneKey = 0
        }
        private let state = Mutex(State())

        var handled: [Int: [Int]] { state.withLock { $0.handled } }
        var handledCount: Int { state.withLock { $0.handled.values.reduce(0) { $0 + $1.count } } }
        var mostRunning: Int { state.withLock { $0.mostRunning } }
        var mostRunningOfOneKey: Int { state.withLock { $0.mostRunningOfOneKey } }

        func started(_ item: Item) {
            state.withLock { state in
                state.running += 1
                state.runningPerKey[item.key, default: 0] += 1
                state.mostRunning = max(state.mostRunning, state.running)
                state.mostRunningOfOneKey = max(state.mostRunningOfOneKey, state.runningPerKey[item.key]!)
            }
        }

        func finished(_ item: Item) {
            state.withLock { state in
                state.running -= 1
                state.runningPerKey[item.key]! -= 1
                state.handled[item.key, default: []].append(item.sequence)
            }
        }
    }

    struct Item: Sendable {
        let key: Int
        let sequence: Int
    }

    /// Lanes whose handler records into `journal` and, when given one, waits at `gate` first.
    static func lanes(workers: Int, backlog: Int, journal: Journal, gate: TestGate? = nil) -> OrderedLanes<Int, Item> {
        OrderedLanes(workers: workers, backlog: backlog) { item in
            journal.started(item)
            if let gate { await gate.pass() }
            // Give other items every chance to overtake this one.
            for _ in 0 ..< 3 { await Task.yield() }
            journal.finished(item)
        }
    }

    static func submit(_ item: Item, to lanes: OrderedLanes<Int, Item>) async -> Bool {
        guard await lanes.reserve() else { return false }
        return lanes.enqueue(item, key: item.key)
    }

    @Test("items of one key are handled one at a time, in the order they came, while producers race")
    func orderPerKeyUnderConcurrency() async throws {
        let journal = Journal()
        let lanes = Self.lanes(workers: 8, backlog: 64, journal: journal)
        let keys = 30, perKey = 40
        await withTaskGroup(of: Void.self) { group in
            for key in 0 ..< keys {
                group.addTask {
                    for sequence in 0 ..< perKey { _ = await Self.submit(Item(key: key, sequence: sequence), to: lanes) }
                }
            }
        }
        try await waitUntil("every item handled") { journal.handledCount == keys * perKey }
        for key in 0 ..< keys { #expect(journal.handled[key] == Array(0 ..< perKey), "key \(key)") }
        #expect(journal.mostRunningOfOneKey == 1)
        #expect(journal.mostRunning <= 8)
        #expect(lanes.workerCount <= 8)
        #expect(lanes.backlog == 0)
        await lanes.stop()
    }

    @Test("different keys run in parallel, never more than the worker limit at once")
    func parallelAcrossKeysWithinTheWorkerLimit() async throws {
        let journal = Journal()
        let gate = TestGate()
        let lanes = Self.lanes(workers: 3, backlog: 100, journal: journal, gate: gate)
        for key in 0 ..< 10 { #expect(await Self.submit(Item(key: key, sequence: 0), to: lanes)) }
        try await waitUntil("three items held at the gate") { gate.arrivals == 3 }
        try await letOthersRun()
        #expect(gate.arrivals == 3)
        #expect(lanes.runningCount == 3 && lanes.queuedCount == 7 && lanes.workerCount == 3)
        gate.open()
        try await waitUntil("every item handled") { journal.handledCount == 10 }
        #expect(journal.mostRunning == 3)
        #expect(lanes.workerCount == 3)
        await lanes.stop()
    }

    @Test("a full backlog makes a producer wait until a worker starts an item")
    func fullBacklogMakesProducersWait() async throws {
        let journal = Journal()
        let gate = TestGate()
        let lanes = Self.lanes(workers: 1, backlog: 2, journal: journal, gate: gate)
        #expect(await Self.submit(Item(key: 1, sequence: 0), to: lanes))
        try await waitUntil("the first item in flight") { gate.arrivals == 1 }
        // Started items leave the backlog: two more fit.
        #expect(await Self.submit(Item(key: 2, sequence: 0), to: lanes))
        #expect(await Self.submit(Item(key: 2, sequence: 1), to: lanes))
        #expect(lanes.backlog == 2)

        let admitted = Mutex(false)
        let producer = Task {
            let reserved = await lanes.reserve()
            admitted.withLock { $0 = true }
            if reserved { lanes.enqueue(Item(key: 3, sequence: 0), key: 3) }
            return reserved
        }
        try await waitUntil("the producer waiting") { lanes.waitingProducers == 1 }
        try await letOthersRun()
        #expect(!admitted.withLock { $0 })

        gate.open()
        #expect(await producer.value)
        try await waitUntil("every item handled") { journal.handledCount == 4 }
        #expect(journal.handled[2] == [0, 1])
        #expect(lanes.backlog == 0 && lanes.waitingProducers == 0)
        await lanes.stop()
    }

    @Test("a producer waiting for room gets false when its task is cancelled or admission closes")
    func waitingProducersAreReleasedByCancellationAndClosing() async throws {
        let journal = Journal()
        let gate = TestGate()
        let lanes = Self.lanes(workers: 1, backlog: 1, journal: journal, gate: gate)
        #expect(await Self.submit(Item(key: 1, sequence: 0), to: lanes))
        try await waitUntil("the first item in flight") { gate.arrivals == 1 }
        #expect(await Self.submit(Item(key: 1, sequence: 1), to: lanes))

        let cancelled = Task { await lanes.reserve() }
        try await waitUntil("the producer waiting") { lanes.waitingProducers == 1 }
        cancelled.cancel()
        #expect(await cancelled.value == false)
        #expect(lanes.waitingProducers == 0 && lanes.backlog == 1)

        let refused = Task { await lanes.reserve() }
        try await waitUntil("the producer waiting") { lanes.waitingProducers == 1 }
        lanes.closeAdmission()
        #expect(await refused.value == false)
        #expect(await lanes.reserve() == false)

        gate.open()
        #expect(await lanes.stop() == 0)
        #expect(journal.handled[1] == [0, 1])
    }

    @Test("stop waits for the items in flight and the queued ones, then no worker is left")
    func stopDrains() async throws {
        let journal = Journal()
        let gate = TestGate()
        let lanes = Self.lanes(workers: 2, backlog: 100, journal: journal, gate: gate)
        for sequence in 0 ..< 4 {
            for key in 0 ..< 3 { #expect(await Self.submit(Item(key: key, sequence: sequence), to: lanes)) }
        }
        try await waitUntil("two items in flight") { gate.arrivals == 2 }
        let stopped = Mutex(false)
        let stopping = Task {
            let dropped = await lanes.stop()
            stopped.withLock { $0 = true }
            return dropped
        }
        try await letOthersRun()
        #expect(!stopped.withLock { $0 })
        #expect(await lanes.reserve() == false)

        gate.open()
        #expect(await stopping.value == 0)
        #expect(journal.handledCount == 12)
        for key in 0 ..< 3 { #expect(journal.handled[key] == [0, 1, 2, 3]) }
        #expect(lanes.workerCount == 0 && lanes.runningCount == 0 && lanes.queuedCount == 0)
        #expect(lanes.enqueue(Item(key: 9, sequence: 0), key: 9) == false)
    }

    @Test("cancelling stop drops the items not yet started and cancels the running one")
    func cancelledStopDiscards() async throws {
        let journal = Journal()
        let gate = TestGate()
        let lanes = Self.lanes(workers: 1, backlog: 100, journal: journal, gate: gate)
        for sequence in 0 ..< 5 { #expect(await Self.submit(Item(key: 7, sequence: sequence), to: lanes)) }
        try await waitUntil("the first item in flight") { gate.arrivals == 1 }

        let stopping = Task { await lanes.stop() }
        stopping.cancel()
        #expect(await stopping.value == 4)
        // The running item saw its cancellation at the gate and finished; nothing else ran.
        #expect(journal.handled[7] == [0])
        #expect(lanes.workerCount == 0 && lanes.backlog == 0)
    }

    @Test("released lanes let their parked workers go")
    func abandonEndsParkedWorkers() async throws {
        let journal = Journal()
        let lanes = Self.lanes(workers: 4, backlog: 100, journal: journal)
        for key in 0 ..< 4 { #expect(await Self.submit(Item(key: key, sequence: 0), to: lanes)) }
        try await waitUntil("every item handled") { journal.handledCount == 4 }
        try await waitUntil("the workers parked") { lanes.runningCount == 0 }
        lanes.abandon()
        try await waitUntil("no worker left") { lanes.workerCount == 0 }
        #expect(await lanes.reserve() == false)
    }
}
