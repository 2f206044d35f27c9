import BackendInterfaces

/// The `JoinService` of a Network or Application Server running in the same process as the Join
/// Server: the same answers as over HTTPS, with the caller's identity fixed by the wiring instead of a
/// client certificate. Keys still travel wrapped under the caller's KEK.
public struct LocalJoinService: JoinService {
    private let joinServer: JoinServer
    private let caller: BackendPeer

    public init(joinServer: JoinServer, caller: BackendPeer) {
        self.joinServer = joinServer
        self.caller = caller
    }

    public func join(_ request: JoinReq) async throws(JoinServiceError) -> JoinAns {
        await joinServer.answer(request, from: caller)
    }

    public func appSKey(_ request: AppSKeyReq) async throws(JoinServiceError) -> AppSKeyAns {
        await joinServer.answer(request, from: caller)
    }

    public func homeNS(_ request: HomeNSReq) async throws(JoinServiceError) -> HomeNSAns {
        await joinServer.answer(request, from: caller)
    }
}
