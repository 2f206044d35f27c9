import BackendInterfaces

extension JoinServer {
    /// Answers any request a Join Server serves, as decoded from the Backend Interfaces.
    public func answer(_ request: BackendRequest, from peer: BackendPeer) async -> BackendAnswer {
        switch request {
        case .join(let join): .join(await answer(join, from: peer))
        case .rejoin(let rejoin): .rejoin(await answer(rejoin, from: peer))
        case .appSKey(let appSKey): .appSKey(await answer(appSKey, from: peer))
        case .homeNS(let homeNS): .homeNS(await answer(homeNS, from: peer))
        }
    }
}
