import LoRaWAN

/// A data uplink attributed to a session by its MIC.
public struct VerifiedDataUplink: Sendable, Equatable {
    /// The position of the session in the candidates given.
    public var candidateIndex: Int
    public var session: NetworkSession
    /// The rebuilt counter and what it means; only `.new` and `.retransmission` are processed further.
    public var frameCounter: FrameCounterDecision

    public init(candidateIndex: Int, session: NetworkSession, frameCounter: FrameCounterDecision) {
        self.candidateIndex = candidateIndex
        self.session = session
        self.frameCounter = frameCounter
    }
}

/// The result of checking a data uplink against the sessions that share its DevAddr.
public enum DataUplinkVerificationOutcome: Sendable, Equatable {
    /// One session's keys verify the MIC under the counter in `frameCounter`.
    case verified(VerifiedDataUplink)
    /// Sessions hold the DevAddr but no key verifies the MIC: a forged or corrupted frame, a device
    /// using stale keys, or a counter beyond what can be rebuilt. Dropped and counted.
    case micFailed(candidates: Int)
    /// No session holds the DevAddr (another network's device, or a device that must rejoin).
    case unknownDevAddr(DevAddr)
}

/// Finds the session an uplink belongs to (LoRaWAN 1.1 §4.4, §6.1.1): DevAddrs are not unique, so each
/// candidate's MIC is computed under its own rebuilt 32-bit counter until one verifies.
///
/// LoRaWAN 1.0.x: `cmac(NwkSKey, B0 | msg)`. LoRaWAN 1.1: both halves, SNwkSIntKey over B1 (ConfFCnt,
/// TxDr, TxCh) and FNwkSIntKey over B0. ConfFCnt is the session's last confirmed downlink counter when
/// the frame's ACK bit is set (0 otherwise); TxDr is the data rate the frame arrived at; TxCh is the
/// index of its frequency among the device's channels. The computation is `DataFrameCrypto.verifyMIC`
/// on the received bytes, allocation-free.
///
/// When the MIC fails under the rebuilt counter and the 16 bits on air are below the last accepted
/// counter's, the counter of the same 2^16 epoch is tried too: if that verifies, the frame is a replay
/// of an old frame (`.replay`), which is worth reporting as such rather than as a MIC failure.
public enum DataUplinkVerification {
    /// Parses received bytes as a data uplink. A downlink MType from a gateway is refused: devices do
    /// not send them, so such a frame is malformed for the Network Server.
    public static func parse(_ phyPayload: [UInt8]) throws(FrameError) -> DataFrameLayout {
        let layout = try DataFrameLayout(parsing: phyPayload)
        guard layout.mType.dataDirection == .uplink else {
            throw .invalidField(field: "MHDR", reason: "\(layout.mType) is a downlink message type, not an uplink")
        }
        return layout
    }

    /// Checks the frame against each candidate in order; the first whose MIC verifies wins.
    /// - Parameters:
    ///   - phyPayload: the received bytes; `layout` is their parse (``parse(_:)``).
    ///   - dataRate, frequency: how the frame arrived (TxDr and TxCh of the 1.1 MIC).
    ///   - candidates: sessions believed to hold `layout.devAddr`; others are ignored.
    public static func verify(
        phyPayload: [UInt8], layout: DataFrameLayout, dataRate: DataRateIndex, frequency: Frequency,
        candidates: [NetworkSession], counterCheck: FrameCounterCheck = FrameCounterCheck()
    ) -> DataUplinkVerificationOutcome {
        let confirmed = layout.mType.isConfirmed
        let ack = layout.fCtrlByte & 0x20 != 0
        var tried = 0
        return phyPayload.withUnsafeBytes { frame in
            for (index, session) in candidates.enumerated() where session.devAddr == layout.devAddr {
                tried += 1
                guard let parameters = micParameters(session: session, ack: ack, dataRate: dataRate, frequency: frequency) else {
                    continue
                }
                let fCnt = counterCheck.reconstruct(fCnt16: layout.fCnt16, lastAccepted: session.fCntUp)
                if DataFrameCrypto.verifyMIC(frame: frame, layout: layout, fCnt: fCnt, keys: session.keys, micParameters: parameters) {
                    let decision = counterCheck.evaluate(
                        fCnt: fCnt, confirmed: confirmed, lastAccepted: session.fCntUp, lastConfirmed: session.lastConfirmedUplinkFCnt)
                    return .verified(VerifiedDataUplink(candidateIndex: index, session: session, frameCounter: decision))
                }
                if let last = session.fCntUp, layout.fCnt16 < UInt16(truncatingIfNeeded: last) {
                    let sameEpoch = last & 0xFFFF_0000 | UInt32(layout.fCnt16)
                    if DataFrameCrypto.verifyMIC(frame: frame, layout: layout, fCnt: sameEpoch, keys: session.keys, micParameters: parameters) {
                        return .verified(VerifiedDataUplink(candidateIndex: index, session: session, frameCounter: .replay(sameEpoch)))
                    }
                }
            }
            return tried == 0 ? .unknownDevAddr(layout.devAddr) : .micFailed(candidates: tried)
        }
    }

    /// The 1.1 B1 fields for `session`, or `nil` when the frame's frequency is none of the device's
    /// channels (then no TxCh exists and the 1.1 MIC cannot verify). 1.0 sessions ignore them.
    public static func micParameters(
        session: NetworkSession, ack: Bool, dataRate: DataRateIndex, frequency: Frequency
    ) -> MICParameters? {
        guard session.isLoRaWAN11 else { return MICParameters() }
        guard let channel = session.macSettings.uplinkChannelIndex(for: frequency), let txCh = UInt8(exactly: channel) else {
            return nil
        }
        let confFCnt = ack ? UInt16(truncatingIfNeeded: session.lastConfirmedDownlinkFCnt ?? 0) : 0
        return MICParameters(confFCnt: confFCnt, txDR: dataRate.rawValue, txCh: txCh)
    }
}
