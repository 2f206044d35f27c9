import LoRaWAN

/// Which downlink frame counter a frame spends (LoRaWAN 1.0.4 §4.3.1.5, LoRaWAN 1.1 §4.3.1.5).
public enum DownlinkFrameCounterKind: String, Sendable, Hashable, CustomStringConvertible {
    /// LoRaWAN 1.0.x: one FCntDown for every downlink.
    case fCntDown = "FCntDown"
    /// LoRaWAN 1.1: network downlinks (FPort 0 or no FPort).
    case nFCntDown = "NFCntDown"
    /// LoRaWAN 1.1: application downlinks (FPort > 0), reserved by the Application Server.
    case aFCntDown = "AFCntDown"

    public var description: String { rawValue }
}

/// The downlink frame counters of a session, each holding the **next value to use**.
///
/// LoRaWAN 1.0.x has one counter shared by network and application downlinks, 1.1 splits it in two
/// (§4.3.1.5) so the Application Server can reserve AFCntDown without racing the Network Server's MAC
/// traffic. Making the two shapes cases, not two optional fields, means a 1.0 session cannot carry an
/// AFCntDown by mistake.
public enum DownlinkFrameCounters: Sendable, Hashable, CustomStringConvertible {
    case shared(fCntDown: UInt32)
    case separate(nFCntDown: UInt32, aFCntDown: UInt32)

    /// Counters at zero, in the shape the keys imply (a join or an ABP activation starts here).
    public init(for keys: NetworkSessionKeys) {
        self = keys.isLoRaWAN11 ? .separate(nFCntDown: 0, aFCntDown: 0) : .shared(fCntDown: 0)
    }

    /// Whether this is the 1.1 shape, NFCntDown and AFCntDown.
    public var isSeparate: Bool {
        if case .separate = self { return true }
        return false
    }

    /// The counter a downlink spends: application downlinks (FPort > 0) use AFCntDown in 1.1.
    public func kind(forApplicationPayload isApplication: Bool) -> DownlinkFrameCounterKind {
        switch self {
        case .shared: .fCntDown
        case .separate: isApplication ? .aFCntDown : .nFCntDown
        }
    }

    /// The next unused value of `kind`, or `nil` when this session has no such counter.
    public func next(_ kind: DownlinkFrameCounterKind) -> UInt32? {
        switch (self, kind) {
        case (.shared(let f), .fCntDown): f
        case (.separate(let n, _), .nFCntDown): n
        case (.separate(_, let a), .aFCntDown): a
        default: nil
        }
    }

    /// Marks `fCnt` of `kind` as spent: the next value becomes `fCnt + 1` unless it already is past it.
    /// A counter never moves backwards, so the same value is never used twice (a reused downlink
    /// counter would reuse the FRMPayload keystream). 2^32 − 1 is never spent: it marks exhaustion,
    /// which `DownlinkFrameBuilder` refuses.
    public mutating func spend(_ fCnt: UInt32, of kind: DownlinkFrameCounterKind) {
        let after = fCnt == .max ? UInt32.max : fCnt + 1
        switch (self, kind) {
        case (.shared(let f), .fCntDown): self = .shared(fCntDown: max(f, after))
        case (.separate(let n, let a), .nFCntDown): self = .separate(nFCntDown: max(n, after), aFCntDown: a)
        case (.separate(let n, let a), .aFCntDown): self = .separate(nFCntDown: n, aFCntDown: max(a, after))
        default: break
        }
    }

    public var description: String {
        switch self {
        case .shared(let f): "FCntDown \(f)"
        case .separate(let n, let a): "NFCntDown \(n), AFCntDown \(a)"
        }
    }
}
