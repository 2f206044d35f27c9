import LoRaWAN

extension NetworkSession {
    /// Records an uplink whose MIC verified and whose counter decision was `.new`: advances FCntUp
    /// (the fact the replay rule rests on, which the caller must store durably before answering,
    /// DESIGN.md invariant 7), remembers whether it was confirmed (for the retransmission rule), and
    /// feeds ADR with the uplink's data rate, link quality and ADR bit.
    ///
    /// Retransmissions and replays change nothing: call this only for new frames.
    public mutating func recordAcceptedUplink(fCnt: UInt32, confirmed: Bool, adr: Bool, context: UplinkRadioContext) {
        if let last = fCntUp, fCnt <= last { return }
        fCntUp = fCnt
        lastConfirmedUplinkFCnt = confirmed ? fCnt : nil
        adrEnabled = adr
        if macSettings.dataRate != context.dataRate {
            // The device moved on its own (ADR back-off, or ADR off): old SNRs describe another rate.
            macSettings.dataRate = context.dataRate
            adrHistory.removeAll()
        }
        adrHistory.record(.init(fCnt: fCnt, maxSNR: context.bestSNR, gatewayCount: context.gatewayCount))
    }
}
