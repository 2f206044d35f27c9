import BackendInterfaces
import Foundation
import GroupCommit
import LoRaWAN
import Logging
import Synchronization

/// The Network Server role (DESIGN.md): takes what gateways hear, deduplicates it, answers joins through
/// the Join Server, verifies and counts data frames, runs the MAC layer, hands application payloads
/// (still encrypted) to the Application Server and schedules downlinks through the gateways.
///
/// It holds network session keys only: ``NetworkSession`` cannot carry an AppSKey, join answers are
/// opened for the network keys alone, and the Application Server is reached through
/// ``ApplicationUplinkHandler`` (DESIGN.md invariant 3).
///
/// The per-frame path is I/O at the edges around the pure pieces in `Uplink/`, `MAC/` and `Downlink/`:
/// ``UplinkCollector`` (deduplication), ``OrderedLanes`` (a bounded backlog and a bounded set of
/// workers; the frames of one device one after another, in the order they came, so a lower FCnt is
/// never overtaken and then taken for a replay), ``SessionCache`` (candidates, optimistic per-device updates),
/// and one group-committed durable write per accepted frame, before anything is answered or delivered
/// (invariant 7: a counter acted upon is a counter stored).
public final class NetworkServer: GatewayTrafficHandler, Sendable {
    let configuration: NetworkServerConfiguration
    let devices: any NetworkDeviceRegistry
    let sessionStore: any NetworkSessionStore
    let downlinkStore: any NetworkDownlinkStore
    let joinService: any JoinService
    let keks: any KEKLookup
    let gateways: any GatewayDownlinkSender
    let gatewayRegion: @Sendable (EUI64) async -> Region?
    let application: any ApplicationUplinkHandler
    let logger: Logger
    let clock: @Sendable () -> Date
    let metrics: NetworkServerMetrics

    let cache: SessionCache
    let tracker = DownlinkTracker()
    let sightings = GatewaySightings()
    let queuedIndex = QueuedDownlinkIndex()
    let counterCheck: FrameCounterCheck
    let responder = MACCommandResponder()
    let adr = ADRAlgorithm()
    private let writes: GroupCommitQueue<NetworkSessionUpdate, Bool>
    /// New sessions (joins, ABP provisioning): a burst of joins shares its transactions.
    private let activations: GroupCommitQueue<NetworkSession, Void>
    private let collector: UplinkCollector
    /// Deduplicated frames wait here for a worker, in one lane per device (``UplinkLaneKey``).
    private let lanes: OrderedLanes<UplinkLaneKey, CollectedUplink>

    public init(
        configuration: NetworkServerConfiguration, devices: any NetworkDeviceRegistry, sessions: any NetworkSessionStore,
        downlinks: any NetworkDownlinkStore, joinService: any JoinService, keks: any KEKLookup, gateways: any GatewayDownlinkSender,
        gatewayRegion: @escaping @Sendable (EUI64) async -> Region?, application: any ApplicationUplinkHandler, logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.configuration = configuration
        self.devices = devices
        self.sessionStore = sessions
        self.downlinkStore = downlinks
        self.joinService = joinService
        self.keks = keks
        self.gateways = gateways
        self.gatewayRegion = gatewayRegion
        self.application = application
        self.logger = logger
        self.clock = clock
        let metrics = NetworkServerMetrics()
        self.metrics = metrics
        cache = SessionCache(store: sessions)
        counterCheck = FrameCounterCheck(maxGap: configuration.maximumFCntGap)
        writes = GroupCommitQueue(maximumBatch: 512, gatheringDelay: .microseconds(200)) { batch in
            try await sessions.update(batch)
        }
        activations = GroupCommitQueue(maximumBatch: 256, gatheringDelay: .microseconds(200)) { batch in
            try await sessions.activate(batch)
            return batch.map { _ in () }
        }
        // The lanes hold the server weakly: they are its workers, and must not keep it alive.
        let target = WeakNetworkServer()
        let lanes = OrderedLanes<UplinkLaneKey, CollectedUplink>(
            workers: configuration.uplinkWorkers, backlog: configuration.maximumUplinkBacklog,
            observer: .init(backlogChanged: { metrics.uplinkBacklog($0) }, waitedForRoom: { metrics.uplinkBacklogWaited() })
        ) { uplink in
            await target.server?.process(uplink.frame, receivedAt: uplink.receivedAt)
        }
        self.lanes = lanes
        collector = UplinkCollector(
            configuration: .init(window: configuration.deduplicationWindow,
                                 maximumOpenWindows: configuration.maximumOpenDeduplicationWindows),
            clock: clock,
            deliver: { frame, receivedAt in
                // Never waits: the frame's room in the backlog was reserved when its first copy came in.
                if !lanes.enqueue(CollectedUplink(frame: frame, receivedAt: receivedAt), key: UplinkLaneKey(phyPayload: frame.phyPayload)) {
                    metrics.uplinksUnprocessed(1)
                }
            })
        target.server = self
    }

    deinit {
        lanes.abandon()
    }

    // MARK: GatewayTrafficHandler

    /// Takes one gateway's copy of a frame. While the uplink backlog is full this waits for room, so the
    /// gateway's socket is not read meanwhile and the overload reaches the station as TCP backpressure.
    ///
    /// Room is reserved before the copy goes in (whether it is a new frame is only known inside the
    /// collector), and a copy that opens a deduplication window keeps it for its frame until a worker
    /// starts that frame; copies of frames already collecting give it back at once. So the backlog
    /// counts open windows too and bounds them exactly, and the collector's timer never has to wait
    /// when it delivers: its frames hold room already. Nothing can deadlock on a full backlog: the
    /// timer delivers without waiting, workers free room as they start frames, and neither needs a
    /// reader to move. (Were the delivery to wait for room instead, the collector's actor would be
    /// suspended mid-delivery, every window behind stalls, and since an actor is reentrant a frame
    /// closed early by a reader's copy could be delivered first, overtaking its device's earlier frame.)
    public func uplinkReceived(_ uplink: GatewayUplink) async {
        metrics.gatewayCopyReceived()
        switch lanes.reserveWithoutWaiting() {
        case true?:
            break
        case false?:
            return  // stopping
        case nil:
            // Full: a copy of a frame already collecting (or delivered) takes no room, so it must not
            // wait for any; waiting could carry it past its window, or past the late-copy memory,
            // where it would be taken for a new frame and dropped as a replay.
            if let outcome = await collector.receiveIfKnown(uplink) {
                if outcome == .late { metrics.uplinkDropped(.lateCopy) }
                return
            }
            guard await lanes.reserve() else { return }  // stopping
        }
        switch await collector.receive(uplink) {
        case .opened:
            break
        case .added, .stopped:
            lanes.release()
        case .late:
            lanes.release()
            metrics.uplinkDropped(.lateCopy)
        }
    }

    public func downlinkTransmitted(_ event: GatewayDownlinkTransmitted) async {
        guard let entry = await tracker.transmitted(event.diid) else { return }
        metrics.downlink("transmitted")
        guard let id = entry.applicationDownlinkID, let devEUI = entry.devEUI else { return }
        await application.downlinkUpdated(ApplicationDownlinkEvent(
            id: id, devEUI: devEUI, outcome: .sent, detail: "transmitted by gateway \(event.gatewayEUI)", time: clock()))
    }

    /// Stops taking uplinks and finishes the ones taken: gateway readers waiting for room return at
    /// once (their copies are not taken), open deduplication windows close now, and every frame taken
    /// in is processed before this returns. Cancelling the calling task gives up the frames not yet
    /// started (counted and logged) and cancels those running.
    public func stop() async {
        lanes.closeAdmission()
        await collector.stop()
        let unprocessed = await lanes.stop()
        if unprocessed > 0 {
            metrics.uplinksUnprocessed(unprocessed)
            logger.notice("stopped before processing every uplink taken in", metadata: ["unprocessed": "\(unprocessed)"])
        }
    }

    /// Frames taken in and not yet being processed (collecting copies, or waiting in their lane).
    var uplinkBacklog: Int { lanes.backlog }
    /// Gateway readers waiting for room in the backlog.
    var readersWaitingForBacklog: Int { lanes.waitingProducers }
    /// Worker tasks alive.
    var uplinkWorkerCount: Int { lanes.workerCount }

    // MARK: Frames

    /// One deduplicated frame: a join-request or a data uplink (proprietary frames are counted and ignored).
    func process(_ frame: UplinkCollector.Frame, receivedAt: Date) async {
        guard let first = frame.phyPayload.first, let mhdr = try? MHDR(byte: first) else {
            await drop(.malformed(.invalidField(field: "MHDR", reason: "not a LoRaWAN R1 header")), devEUI: nil, devAddr: nil)
            return
        }
        switch mhdr.mType {
        case .joinRequest:
            await processJoinRequest(frame, receivedAt: receivedAt)
        case .rejoinRequest:
            metrics.join("rejoin_not_forwarded")
            logger.notice("rejoin-request ignored: LoRa Basics Station forwards 23-byte frames only, so its rejoin types cannot be verified")
        case .unconfirmedDataUp, .confirmedDataUp:
            await processDataUplink(frame, receivedAt: receivedAt)
        case .proprietary:
            logger.debug("proprietary frame ignored", metadata: ["bytes": "\(frame.phyPayload.count)"])
        default:
            await drop(.malformed(.invalidField(field: "MHDR", reason: "\(mhdr.mType) is not an uplink message type")), devEUI: nil, devAddr: nil)
        }
    }

    /// Stores `updates` durably (group-committed); the outcome of each as the store decided it.
    func store(_ update: NetworkSessionUpdate) async throws -> Bool {
        try await writes.submit(update)
    }

    /// Stores a device's new session (in some batch of activations) once its transaction has committed.
    func storeActivation(_ session: NetworkSession) async throws {
        try await activations.submit(session)
    }

    /// Counts and reports a dropped frame; MIC failures and replays reach the application's events.
    ///
    /// The event is awaited by the worker that dropped the frame rather than handed to a task of its
    /// own: a flood of bad frames then stays within the workers and the uplink backlog, instead of
    /// growing one unbounded task per frame.
    func drop(_ reason: UplinkDropReason, devEUI: EUI64?, devAddr: DevAddr?) async {
        metrics.uplinkDropped(reason)
        let kind: NetworkEvent.Kind
        switch reason {
        case .malformed, .macCommandsMalformed: kind = .malformedFrame
        case .lateCopy: return
        case .unknownDevAddr: kind = .unknownDevAddr
        case .micFailed: kind = .micFailed
        case .replay, .gapTooLarge: kind = .replayDropped
        }
        logger.info("uplink dropped", metadata: [
            "reason": "\(reason)", "dev_eui": "\(devEUI.map { "\($0)" } ?? "-")", "dev_addr": "\(devAddr.map { "\($0)" } ?? "-")",
        ])
        let event = NetworkEvent(kind: kind, devEUI: devEUI, devAddr: devAddr, detail: reason.description, time: clock())
        await application.networkEvent(event)
    }
}

/// A deduplicated frame on its way to a worker.
private struct CollectedUplink: Sendable {
    let frame: UplinkCollector.Frame
    let receivedAt: Date
}

/// The server as its workers see it: weakly, so that the lanes (owned by the server) do not keep it
/// alive; a server released without ``NetworkServer/stop()`` abandons its lanes in `deinit`.
private final class WeakNetworkServer: Sendable {
    private struct Reference { weak var server: NetworkServer? }
    private let reference = Mutex(Reference())

    var server: NetworkServer? {
        get { reference.withLock { $0.server } }
        set { reference.withLock { $0.server = newValue } }
    }
}
