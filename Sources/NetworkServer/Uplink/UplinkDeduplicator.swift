import BackendInterfaces
import LoRaWAN

/// Groups the copies of one frame that several gateways heard, so the Network Server processes each
/// frame once and still knows every gateway that can reach the device (for LinkCheckAns, ADR and the
/// choice of the downlink gateway).
///
/// A pure state machine: time is passed in. The first copy of a PHYPayload opens a window
/// (`Configuration.window`, 200 ms by default); copies of the same bytes within the window add their
/// gateway; ``collect(now:)`` hands back every group whose window has passed, gateways best first.
/// Frames are keyed by their bytes, which include the MIC, so two devices' frames never merge.
///
/// Memory is bounded: at most `maximumOpenWindows` windows are open. A new frame beyond that closes the
/// oldest window early and hands it back at once (counted in ``closedEarlyCount``), so a flood of
/// distinct frames costs latency, never memory, and no frame is lost. After a window closes its key is
/// remembered for `lateCopyRetention`, so a straggling copy is dropped as late (``lateCopyCount``)
/// instead of being processed a second time as a replay.
public struct UplinkDeduplicator<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public struct Configuration: Sendable, Hashable {
        /// How long copies are collected after the first.
        public var window: Duration
        /// The most frames collecting copies at the same time.
        public var maximumOpenWindows: Int
        /// The most gateways kept per frame; further copies are ignored (counted as late).
        public var maximumReceptionsPerFrame: Int
        /// How long after its window closed a frame's copies are still recognised as late copies.
        /// It must stay well below the 3 s after which a device may retransmit a confirmed uplink
        /// (RECEIVE_DELAY2 + RETRANSMIT_TIMEOUT minimum, RP002-1.0.3 §2.3), whose identical bytes
        /// must reach the frame counter check to get their ACK again.
        public var lateCopyRetention: Duration

        public init(window: Duration = .milliseconds(200), maximumOpenWindows: Int = 10_000,
                    maximumReceptionsPerFrame: Int = 64, lateCopyRetention: Duration = .seconds(1)) {
            self.window = window
            self.maximumOpenWindows = max(1, maximumOpenWindows)
            self.maximumReceptionsPerFrame = max(1, maximumReceptionsPerFrame)
            self.lateCopyRetention = lateCopyRetention
        }
    }

    /// What happened to one copy.
    public enum ReceiveOutcome: Sendable {
        /// The first copy: a window opened. When the table was full, the oldest window was closed
        /// early and is handed back here to be processed now.
        case opened(closedEarly: DeduplicatedUplink<Instant>?)
        /// Another gateway's copy within the window (or a better copy from a gateway already counted).
        case added
        /// A copy after its window closed, or beyond the per-frame gateway limit: dropped.
        case late
    }

    private struct OpenWindow: Sendable {
        var receptions: [UplinkReception]
        let openedAt: Instant
    }

    public let configuration: Configuration
    private var open: [[UInt8]: OpenWindow] = [:]
    /// Keys in the order their windows opened; `head` skips the ones already closed.
    private var order: [[UInt8]] = []
    private var head = 0
    /// Recently closed keys and when they stop counting as late.
    private var closed: [[UInt8]: Instant] = [:]
    private var closedOrder: [[UInt8]] = []
    private var closedHead = 0

    public private(set) var closedEarlyCount = 0
    public private(set) var lateCopyCount = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The number of frames collecting copies now.
    public var openWindowCount: Int { open.count }

    /// Takes one gateway's copy of a frame received at `now`.
    public mutating func receive(_ uplink: GatewayUplink, now: Instant) -> ReceiveOutcome {
        let reception = UplinkReception(gatewayEUI: uplink.gatewayEUI, metadata: uplink.metadata)
        let key = uplink.phyPayload
        if var window = open[key] {
            guard now < window.openedAt.advanced(by: configuration.window) else {
                lateCopyCount += 1
                return .late
            }
            if let same = window.receptions.firstIndex(where: { $0.gatewayEUI == reception.gatewayEUI }) {
                // A gateway counts once (LinkCheckAns GwCnt); keep its better copy (another antenna).
                if UplinkReception.isBetter(reception, than: window.receptions[same]) { window.receptions[same] = reception }
            } else {
                guard window.receptions.count < configuration.maximumReceptionsPerFrame else {
                    lateCopyCount += 1
                    return .late
                }
                window.receptions.append(reception)
            }
            open[key] = window
            return .added
        }
        forgetClosed(before: now)
        if closed[key] != nil {
            lateCopyCount += 1
            return .late
        }
        var evicted: DeduplicatedUplink<Instant>?
        if open.count >= configuration.maximumOpenWindows, let oldest = popOldest(now: now) {
            closedEarlyCount += 1
            evicted = oldest
            evicted?.closedEarly = true
        }
        open[key] = OpenWindow(receptions: [reception], openedAt: now)
        order.append(key)
        return .opened(closedEarly: evicted)
    }

    /// Whether `phyPayload` is a frame whose window is open, or one closed and still remembered at `now`:
    /// a copy of it would be added or refused as late, never open a window.
    public mutating func knows(_ phyPayload: [UInt8], now: Instant) -> Bool {
        if open[phyPayload] != nil { return true }
        forgetClosed(before: now)
        return closed[phyPayload] != nil
    }

    /// Every frame whose window has passed at `now`, in the order they arrived, gateways best first.
    public mutating func collect(now: Instant) -> [DeduplicatedUplink<Instant>] {
        var done: [DeduplicatedUplink<Instant>] = []
        while head < order.count, let window = open[order[head]],
              window.openedAt.advanced(by: configuration.window) <= now {
            if let group = popOldest(now: now) { done.append(group) }
        }
        forgetClosed(before: now)
        return done
    }

    /// When the next window closes, for a caller that sleeps until then; `nil` when none is open.
    public var nextDeadline: Instant? {
        guard head < order.count, let window = open[order[head]] else { return nil }
        return window.openedAt.advanced(by: configuration.window)
    }

    private mutating func popOldest(now: Instant) -> DeduplicatedUplink<Instant>? {
        guard head < order.count else { return nil }
        let key = order[head]
        head += 1
        compactOrder()
        guard let window = open.removeValue(forKey: key) else { return nil }
        remember(closed: key, until: max(now, window.openedAt.advanced(by: configuration.window))
            .advanced(by: configuration.lateCopyRetention))
        let ranked = window.receptions.sorted(by: UplinkReception.isBetter)
        return DeduplicatedUplink(phyPayload: key, receptions: ranked, firstReceivedAt: window.openedAt, closedEarly: false)
    }

    private mutating func remember(closed key: [UInt8], until expiry: Instant) {
        while closed.count >= configuration.maximumOpenWindows, closedHead < closedOrder.count {
            closed.removeValue(forKey: closedOrder[closedHead])
            closedHead += 1
        }
        closed[key] = expiry
        closedOrder.append(key)
        compactClosedOrder()
    }

    private mutating func forgetClosed(before now: Instant) {
        while closedHead < closedOrder.count {
            let key = closedOrder[closedHead]
            if let expiry = closed[key], expiry > now { break }
            closed.removeValue(forKey: key)
            closedHead += 1
        }
        compactClosedOrder()
    }

    // The FIFOs are arrays with a moving head; drop the consumed prefix once it dominates.
    private mutating func compactOrder() {
        if head > 64, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }

    private mutating func compactClosedOrder() {
        if closedHead > 64, closedHead * 2 > closedOrder.count {
            closedOrder.removeFirst(closedHead)
            closedHead = 0
        }
    }
}
