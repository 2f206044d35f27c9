/// How the Join Server hands out keys.
public struct JoinServerConfiguration: Sendable {
    /// Send session keys in clear (empty KEKLabel) to a peer with no KEK, instead of refusing the join.
    /// Only for peers that cannot unwrap (and then only over mutual TLS); each such answer is logged as
    /// a warning. Off by default.
    public var allowPlainSessionKeys: Bool
    /// Largest group commit of nonce decisions.
    public var maximumJoinBatch: Int
    /// Under load, how long the nonce writer waits to gather a bigger batch.
    public var joinGatheringDelay: Duration

    public init(allowPlainSessionKeys: Bool = false, maximumJoinBatch: Int = 256, joinGatheringDelay: Duration = .microseconds(200)) {
        self.allowPlainSessionKeys = allowPlainSessionKeys
        self.maximumJoinBatch = maximumJoinBatch
        self.joinGatheringDelay = joinGatheringDelay
    }
}
