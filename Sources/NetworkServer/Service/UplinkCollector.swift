import BackendInterfaces
import Foundation

/// Runs the ``UplinkDeduplicator`` against the clock: gateways' copies go in as they arrive, and each
/// frame comes out once, with all its receptions, when its window closes.
///
/// One sleeping task waits for the earliest deadline; a frame whose window opens while it sleeps only
/// needs it to wake later, never earlier (windows are all the same length), so no task per frame.
///
/// `deliver` is synchronous and must not wait: it runs on this actor, for frames in the order their
/// first copies arrived, and everything behind it (every other window, every gateway's next copy)
/// waits while it runs. Backpressure belongs before ``receive(_:)``, not here.
actor UplinkCollector {
    typealias Frame = DeduplicatedUplink<ContinuousClock.Instant>

    /// What happened to one gateway's copy.
    enum ReceiveOutcome: Sendable, Equatable {
        /// The first copy of a frame: a window opened, and the frame will be delivered when it closes.
        case opened
        /// A copy of a frame whose window is open.
        case added
        /// A copy of a frame already delivered.
        case late
        /// The collector has stopped; the copy is ignored.
        case stopped
    }

    private var deduplicator: UplinkDeduplicator<ContinuousClock.Instant>
    private let deliver: @Sendable (Frame, Date) -> Void
    private let clock: @Sendable () -> Date
    private var sleeper: Task<Void, Never>?
    private var stopped = false
    /// The server time each open frame arrived, keyed by its bytes.
    private var receivedAt: [[UInt8]: Date] = [:]

    init(configuration: UplinkDeduplicator<ContinuousClock.Instant>.Configuration, clock: @escaping @Sendable () -> Date,
         deliver: @escaping @Sendable (Frame, Date) -> Void) {
        deduplicator = UplinkDeduplicator(configuration: configuration)
        self.clock = clock
        self.deliver = deliver
    }

    /// Takes one gateway's copy.
    func receive(_ uplink: GatewayUplink) -> ReceiveOutcome {
        guard !stopped else { return .stopped }
        let now = ContinuousClock.now
        switch deduplicator.receive(uplink, now: now) {
        case .opened(let closedEarly):
            receivedAt[uplink.phyPayload] = clock()
            if let closedEarly { hand(closedEarly) }
            if sleeper == nil { scheduleWake() }
            return .opened
        case .added:
            return .added
        case .late:
            return .late
        }
    }

    /// Takes `uplink` only if it is a copy of a frame already collecting or already delivered; `nil`
    /// (nothing taken) for the first copy of a new frame.
    func receiveIfKnown(_ uplink: GatewayUplink) -> ReceiveOutcome? {
        guard !stopped else { return .stopped }
        guard deduplicator.knows(uplink.phyPayload, now: ContinuousClock.now) else { return nil }
        return receive(uplink)
    }

    var lateCopyCount: Int { deduplicator.lateCopyCount }

    private func scheduleWake() {
        guard let deadline = deduplicator.nextDeadline else { sleeper = nil; return }
        sleeper = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            await self?.wake()
        }
    }

    private func wake() {
        guard !stopped else { return }
        for frame in deduplicator.collect(now: .now) { hand(frame) }
        scheduleWake()
    }

    private func hand(_ frame: Frame) {
        let time = receivedAt.removeValue(forKey: frame.phyPayload) ?? clock()
        deliver(frame, time)
    }

    /// Closes every open window at once and delivers its frame, then stops the timer; later copies are
    /// refused (``ReceiveOutcome/stopped``).
    func stop() {
        guard !stopped else { return }
        stopped = true
        sleeper?.cancel()
        sleeper = nil
        // Every window opened before now closes by now plus one window.
        for frame in deduplicator.collect(now: ContinuousClock.now.advanced(by: deduplicator.configuration.window)) { hand(frame) }
    }
}
