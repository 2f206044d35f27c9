import Synchronization

/// Group commit for certificate issuances: concurrent issuances wait here while one writer stores
/// everything that has queued up in one transaction, then the next batch.
///
/// With one database writer (SQLite's single write lock, or a hot gateway row in PostgreSQL) a
/// transaction per certificate makes storage, not cryptography, the limit: a fleet re-issue spends its
/// time in round trips. Batching keeps each issuance's semantics (its own supersession, its own audit
/// events, its own outcome) while the statements per second stay flat as the rate grows. A caller alone
/// gets a batch of one at once, so a single issuance waits for nobody.
final class IssuanceRecorder: Sendable {
    /// Bounded so one transaction stays short and its statements stay far below bind-parameter limits.
    static let maximumBatch = 128

    private typealias Waiter = (issuance: CertificateIssuance, continuation: CheckedContinuation<IssuanceRecordingOutcome, any Error>)

    private struct Queue {
        var waiting: [Waiter] = []
        var writing = false
    }

    private let repository: any CertificateRepository
    private let queue = Mutex(Queue())

    init(repository: any CertificateRepository) {
        self.repository = repository
    }

    /// Stores the issuance (in some batch) and returns its outcome once that batch has committed.
    func record(_ issuance: CertificateIssuance) async throws -> IssuanceRecordingOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = queue.withLock { queue -> Bool in
                queue.waiting.append((issuance, continuation))
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
            // Under load (the last batch had company) a short wait gathers more issuances into the
            // next transaction; a lone caller never waits.
            if previousBatch > 1, queue.withLock({ $0.waiting.count }) < Self.maximumBatch / 4 {
                try? await Task.sleep(for: Self.gatheringDelay)
            }
            guard let batch = nextBatch() else { return }
            previousBatch = batch.count
            await write(batch)
        }
    }

    /// Long enough for a few signatures to finish, short next to a transaction's round trips.
    static let gatheringDelay: Duration = .microseconds(500)

    private func nextBatch() -> [Waiter]? {
        queue.withLock { queue in
            guard !queue.waiting.isEmpty else {
                queue.writing = false
                return nil
            }
            let batch = Array(queue.waiting.prefix(Self.maximumBatch))
            queue.waiting.removeFirst(batch.count)
            return batch
        }
    }

    private func write(_ batch: [Waiter]) async {
        do {
            let outcomes = try await repository.recordIssuances(batch.map(\.issuance))
            for (waiter, outcome) in zip(batch, outcomes) { waiter.continuation.resume(returning: outcome) }
        } catch where batch.count > 1 {
            // One failing issuance must not fail its neighbours: store them one by one so each gets
            // its own answer.
            for waiter in batch { await write([waiter]) }
        } catch {
            batch[0].continuation.resume(throwing: error)
        }
    }
}
