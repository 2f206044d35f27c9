import Synchronization

/// Group commit: concurrent callers queue their items while one writer stores everything that has
/// queued up in one transaction, then the next batch.
///
/// With one database writer (SQLite's single write lock, or hot rows in PostgreSQL) a transaction per
/// item makes storage, not cryptography, the limit. Batching keeps each item's semantics (the writer
/// decides each as if alone, in queue order, and returns one outcome per item) while the statements
/// per second stay flat as the rate grows. A caller alone gets a batch of one at once, so a single
/// item waits for nobody.
///
/// The Gateway PKI records issuances through one; the Join Server records DevNonce/JoinNonce
/// decisions through another.
public final class GroupCommitQueue<Item: Sendable, Outcome: Sendable>: Sendable {
    /// Stores one batch in one transaction and returns one outcome per item, in order; throws (having
    /// stored nothing) on an infrastructure failure.
    public typealias Writer = @Sendable ([Item]) async throws -> [Outcome]

    private typealias Waiter = (item: Item, continuation: CheckedContinuation<Outcome, any Error>)

    private struct Queue {
        var waiting: [Waiter] = []
        var writing = false
    }

    private let maximumBatch: Int
    private let gatheringDelay: Duration
    private let writer: Writer
    private let queue = Mutex(Queue())

    /// - Parameters:
    ///   - maximumBatch: bounds one transaction, so it stays short and its statements stay far below
    ///     bind-parameter limits.
    ///   - gatheringDelay: under load (the last batch had company) the writer waits this long for more
    ///     items before the next transaction; a lone caller never waits.
    public init(maximumBatch: Int, gatheringDelay: Duration, writer: @escaping Writer) {
        self.maximumBatch = max(1, maximumBatch)
        self.gatheringDelay = gatheringDelay
        self.writer = writer
    }

    /// Stores the item (in some batch) and returns its outcome once that batch has committed.
    public func submit(_ item: Item) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = queue.withLock { queue -> Bool in
                queue.waiting.append((item, continuation))
                guard !queue.writing else { return false }
                queue.writing = true
                return true
            }
            // High priority: each statement resumes the writer on the shared executor, where it would
            // otherwise queue behind every caller's cryptography and batches would stay small.
            if startWriter { Task(priority: .high) { await self.writeWhileWaiting() } }
        }
    }

    private func writeWhileWaiting() async {
        var previousBatch = 0
        while true {
            if previousBatch > 1, gatheringDelay > .zero, queue.withLock({ $0.waiting.count }) < maximumBatch / 4 {
                try? await Task.sleep(for: gatheringDelay)
            }
            guard let batch = nextBatch() else { return }
            previousBatch = batch.count
            await write(batch)
        }
    }

    private func nextBatch() -> [Waiter]? {
        queue.withLock { queue in
            guard !queue.waiting.isEmpty else {
                queue.writing = false
                return nil
            }
            let batch = Array(queue.waiting.prefix(maximumBatch))
            queue.waiting.removeFirst(batch.count)
            return batch
        }
    }

    private func write(_ batch: [Waiter]) async {
        do {
            let outcomes = try await writer(batch.map(\.item))
            guard outcomes.count == batch.count else {
                throw GroupCommitError.outcomeCountMismatch(items: batch.count, outcomes: outcomes.count)
            }
            for (waiter, outcome) in zip(batch, outcomes) { waiter.continuation.resume(returning: outcome) }
        } catch where batch.count > 1 {
            // One failing item must not fail its neighbours: store them one by one so each gets its
            // own answer.
            for waiter in batch { await write([waiter]) }
        } catch {
            batch[0].continuation.resume(throwing: error)
        }
    }
}

/// A writer broke the queue's contract.
public enum GroupCommitError: Error, Equatable, Sendable, CustomStringConvertible {
    case outcomeCountMismatch(items: Int, outcomes: Int)

    public var description: String {
        switch self {
        case .outcomeCountMismatch(let items, let outcomes): "a group commit of \(items) items returned \(outcomes) outcomes"
        }
    }
}
