import LoRaWAN

/// Why an uplink (or part of it) was not processed: one list, so logs, `NetworkEvent`s and metric
/// labels name the same reasons (issue 6, "Bad input": dropped with a reason and a metric).
public enum UplinkDropReason: Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a LoRaWAN data uplink.
    case malformed(FrameError)
    /// A copy after its deduplication window (or beyond the per-frame gateway limit).
    case lateCopy
    case unknownDevAddr(DevAddr)
    /// No candidate session's keys verify the MIC.
    case micFailed(candidates: Int)
    /// The counter does not advance (DESIGN.md invariant 7).
    case replay(fCnt: UInt32)
    /// The counter jumps further than MAX_FCNT_GAP.
    case gapTooLarge(fCnt: UInt32, gap: UInt64)
    /// The MAC commands could not be read to the end; the ones before were processed.
    case macCommandsMalformed(MACCommandParseStop)

    /// The reason for a counter decision that is not processed, `nil` for `.new` and `.retransmission`.
    public init?(_ decision: FrameCounterDecision) {
        switch decision {
        case .new, .retransmission: return nil
        case .replay(let fCnt): self = .replay(fCnt: fCnt)
        case .gapTooLarge(let fCnt, let gap): self = .gapTooLarge(fCnt: fCnt, gap: gap)
        }
    }

    /// A short, fixed label for metrics (bounded cardinality: no counters or addresses in it).
    public var metricLabel: String {
        switch self {
        case .malformed: "malformed"
        case .lateCopy: "late_copy"
        case .unknownDevAddr: "unknown_dev_addr"
        case .micFailed: "mic_failed"
        case .replay: "replay"
        case .gapTooLarge: "fcnt_gap_too_large"
        case .macCommandsMalformed: "mac_commands_malformed"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let error): "malformed frame: \(error)"
        case .lateCopy: "copy arrived after its deduplication window"
        case .unknownDevAddr(let devAddr): "no session holds DevAddr \(devAddr)"
        case .micFailed(let candidates): "MIC verifies under none of \(candidates) session(s)"
        case .replay(let fCnt): "FCnt \(fCnt) does not advance: replay dropped"
        case .gapTooLarge(let fCnt, let gap): "FCnt \(fCnt) jumps \(gap) frames ahead"
        case .macCommandsMalformed(let stop): "\(stop)"
        }
    }
}
