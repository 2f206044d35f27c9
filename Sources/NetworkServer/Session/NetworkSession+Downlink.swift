import LoRaWAN

extension NetworkSession {
    /// Records that `frame` was handed to a gateway: its counter is spent (never to be reused, so the
    /// caller stores the session before transmitting), its requests wait for answers after any still
    /// pending (class C may send twice before the device uplinks), and a confirmed frame's counter
    /// becomes the ConfFCnt a 1.1 device's ACK will carry. An operator's ForceRejoinReq is sent once:
    /// the frame that carries it ends it (the device answers with a rejoin-request, not a command).
    public mutating func recordDownlinkSent(_ frame: DownlinkFrame) {
        downlinkCounters.spend(frame.fCnt, of: frame.counter)
        pendingMACRequests += frame.macCommands.filter(\.expectsAnswer)
        if frame.confirmed { lastConfirmedDownlinkFCnt = frame.fCnt }
        if let forceRejoin = macReconciliation.forceRejoin, frame.macCommands.contains(forceRejoin.command) {
            macReconciliation.forceRejoin = nil
        }
    }
}
