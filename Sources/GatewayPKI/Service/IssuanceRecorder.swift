import GroupCommit

/// Group commit for certificate issuances: a fleet re-issue would otherwise spend its time in one
/// transaction per certificate. Each issuance keeps its own supersession, audit events and outcome.
final class IssuanceRecorder: Sendable {
    /// Bounded so one transaction stays short and its statements stay far below bind-parameter limits.
    static let maximumBatch = 128
    /// Long enough for a few signatures to finish, short next to a transaction's round trips.
    static let gatheringDelay: Duration = .microseconds(500)

    private let queue: GroupCommitQueue<CertificateIssuance, IssuanceRecordingOutcome>

    init(repository: any CertificateRepository) {
        queue = GroupCommitQueue(maximumBatch: Self.maximumBatch, gatheringDelay: Self.gatheringDelay) { batch in
            try await repository.recordIssuances(batch)
        }
    }

    /// Stores the issuance (in some batch) and returns its outcome once that batch has committed.
    func record(_ issuance: CertificateIssuance) async throws -> IssuanceRecordingOutcome {
        try await queue.submit(issuance)
    }
}
