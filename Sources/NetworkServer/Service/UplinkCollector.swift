import BackendInterfaces
import Foundation

/// Runs the ``UplinkDeduplicator`` against the clock: gateways' copies go in as they arrive, and each
/// frame comes out once, with all its receptions, when its window closes.
///
/// One sleeping task waits for the earliest deadline; a frame whose window opens while it sleeps only
/// needs it to wake later, never earlier (windows are all the same length), so no task per frame.
actor UplinkCollector {
    typealias Frame = DeduplicatedUplink<ContinuousClock.Instant>

    private var deduplicator: UplinkDeduplicator<ContinuousClock.Instant>
    private let deliver: @Sendable (Frame, Date) -> Void
    private let clock: @Sendable () -> Date
    private var sleeper: Task<Void, Never>?
    /// The server time each open frame arrived, keyed by its bytes.
    private var receivedAt: [[UInt8]: Date] = [:]

    init(configuration: UplinkDeduplicator<ContinuousClock.Instant>.Configuration, clock: @escaping @Sendable () -> Date,
         deliver: @escaping @Sendable (Frame, Date) -> Void) {
        deduplicator = UplinkDeduplicator(configuration: configuration)
        self.clock = clock
        self.deliver = deliver
    }

    /// Takes one gateway's copy; `false` when it is a late copy of a frame already processed.
    func receive(_ uplink: GatewayUplink) -> Bool {
        let now = ContinuousClock.now
        switch deduplicator.receive(uplink, now: now) {
        case .opened(let closedEarly):
            receivedAt[uplink.phyPayload] = clock()
            if let closedEarly { hand(closedEarly) }
            if sleeper == nil { scheduleWake() }
            return true
        case .added:
            return true
        case .late:
            return false
        }
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
        for frame in deduplicator.collect(now: .now) { hand(frame) }
        scheduleWake()
    }

    private func hand(_ frame: Frame) {
        let time = receivedAt.removeValue(forKey: frame.phyPayload) ?? clock()
        deliver(frame, time)
    }

    /// Stops the timer; frames still open are not delivered.
    func stop() {
        sleeper?.cancel()
        sleeper = nil
    }
}
