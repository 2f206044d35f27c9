import BackendInterfaces

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
    /// The Application Server that gets the AppSKey of a device registered without an AS-ID: the one
    /// running beside this Join Server. `nil`: such a device's AppSKey goes to nobody.
    public var defaultApplicationServerID: ApplicationServerID?

    public init(
        allowPlainSessionKeys: Bool = false, maximumJoinBatch: Int = 256, joinGatheringDelay: Duration = .microseconds(200),
        defaultApplicationServerID: ApplicationServerID? = nil
    ) {
        self.allowPlainSessionKeys = allowPlainSessionKeys
        self.maximumJoinBatch = maximumJoinBatch
        self.joinGatheringDelay = joinGatheringDelay
        self.defaultApplicationServerID = defaultApplicationServerID
    }
}
