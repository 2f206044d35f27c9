import LoRaWAN

/// What the uplink frame counter says about a frame whose MIC verified under it.
public enum FrameCounterDecision: Sendable, Hashable, CustomStringConvertible {
    /// The counter advances: a new frame, to be processed and delivered.
    case new(UInt32)
    /// The counter equals the last accepted one, which was a confirmed uplink, and this frame is
    /// confirmed too: the device did not hear our ACK. It gets the same ACK again and delivers nothing
    /// new (LoRaWAN 1.1 §4.3.1.2, §4.3.1.5: a retransmission repeats the frame with its counter).
    case retransmission(UInt32)
    /// The counter does not advance: a replay (or an unconfirmed NbTrans repetition). Dropped and counted.
    case replay(UInt32)
    /// The counter advances by more than the allowed gap (MAX_FCNT_GAP, LoRaWAN 1.0.x §4.3.1.5).
    case gapTooLarge(UInt32, gap: UInt64)

    /// The rebuilt 32-bit counter.
    public var fCnt: UInt32 {
        switch self {
        case .new(let f), .retransmission(let f), .replay(let f), .gapTooLarge(let f, _): f
        }
    }

    /// Whether the frame is processed at all (new data, or an ACK to repeat).
    public var isAccepted: Bool {
        switch self {
        case .new, .retransmission: true
        case .replay, .gapTooLarge: false
        }
    }

    public var description: String {
        switch self {
        case .new(let f): "new FCnt \(f)"
        case .retransmission(let f): "retransmission of FCnt \(f)"
        case .replay(let f): "replayed FCnt \(f) (counter does not advance)"
        case .gapTooLarge(let f, let gap): "FCnt \(f) jumps \(gap) frames ahead"
        }
    }
}

/// The uplink frame counter rule (LoRaWAN 1.1 §4.3.1.5, DESIGN.md invariant 7: an uplink frame counter
/// never goes backwards).
///
/// The 32-bit counter is rebuilt from the 16 bits on air with `FrameCounter.full(fromLow16:lastAccepted:)`
/// ("last_seen" semantics: the reference is the last accepted counter, a fact stored when its MIC
/// verified). Then:
/// - above the last accepted one, by at most `maxGap`: `.new`;
/// - equal to it, when that frame and this one are confirmed: `.retransmission`;
/// - anything else that does not advance: `.replay`;
/// - advancing by more than `maxGap`: `.gapTooLarge`.
///
/// A 32-bit counter that would wrap is a replay too: the session is exhausted and the device must
/// rejoin, since accepting the wrap would let every old frame in again.
public struct FrameCounterCheck: Sendable, Hashable {
    /// The largest accepted jump, `nil` for none. MAX_FCNT_GAP (16384) is a LoRaWAN 1.0.0-1.0.3 rule
    /// that 1.0.4 and 1.1 dropped; Gatehouse keeps it by default because a frame that far ahead is
    /// more likely forged or from a broken device than a device that lost 16384 frames.
    public var maxGap: UInt32?

    public init(maxGap: UInt32? = RegionalDefaultSettings.maxFCntGap) {
        self.maxGap = maxGap
    }

    /// The 32-bit counter of a frame carrying `fCnt16`, given the last accepted counter.
    @inlinable
    public func reconstruct(fCnt16: UInt16, lastAccepted: UInt32?) -> UInt32 {
        FrameCounter.full(fromLow16: fCnt16, lastAccepted: lastAccepted)
    }

    /// Decides on a frame whose 16-bit counter is `fCnt16`.
    /// - Parameters:
    ///   - confirmed: whether the frame is a ConfirmedDataUp.
    ///   - lastAccepted: the session's FCntUp, `nil` before the first uplink.
    ///   - lastConfirmed: FCntUp of the last accepted uplink if it was confirmed.
    public func evaluate(fCnt16: UInt16, confirmed: Bool, lastAccepted: UInt32?, lastConfirmed: UInt32?) -> FrameCounterDecision {
        evaluate(fCnt: reconstruct(fCnt16: fCnt16, lastAccepted: lastAccepted), confirmed: confirmed,
                 lastAccepted: lastAccepted, lastConfirmed: lastConfirmed)
    }

    /// Decides on a frame whose full counter is already known (rebuilt, or tried in another epoch).
    public func evaluate(fCnt: UInt32, confirmed: Bool, lastAccepted: UInt32?, lastConfirmed: UInt32?) -> FrameCounterDecision {
        // Before the first uplink the reference is "-1", so FCnt 0 advances by one.
        let gap = Int64(fCnt) - (lastAccepted.map(Int64.init) ?? -1)
        if gap <= 0 {
            if gap == 0, confirmed, let lastConfirmed, lastConfirmed == fCnt { return .retransmission(fCnt) }
            return .replay(fCnt)
        }
        if let maxGap, gap > Int64(maxGap) { return .gapTooLarge(fCnt, gap: UInt64(gap)) }
        return .new(fCnt)
    }

    /// Decides on a frame for `session`.
    public func evaluate(fCnt16: UInt16, confirmed: Bool, session: NetworkSession) -> FrameCounterDecision {
        evaluate(fCnt16: fCnt16, confirmed: confirmed, lastAccepted: session.fCntUp,
                 lastConfirmed: session.lastConfirmedUplinkFCnt)
    }
}
