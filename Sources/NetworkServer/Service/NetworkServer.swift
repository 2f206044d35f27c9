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
/// ``UplinkCollector`` (deduplication), ``SessionCache`` (candidates, optimistic per-device updates),
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
    let metrics = NetworkServerMetrics()

    let cache: SessionCache
    let tracker = DownlinkTracker()
    let sightings = GatewaySightings()
    let queuedIndex = QueuedDownlinkIndex()
    let counterCheck: FrameCounterCheck
    let responder = MACCommandResponder()
    let adr = ADRAlgorithm()
    private let writes: GroupCommitQueue<NetworkSessionUpdate, Bool>
    private let collector: UplinkCollector

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
        cache = SessionCache(store: sessions)
        counterCheck = FrameCounterCheck(maxGap: configuration.maximumFCntGap)
        writes = GroupCommitQueue(maximumBatch: 512, gatheringDelay: .microseconds(200)) { batch in
            try await sessions.update(batch)
        }
        let deliver = FrameHandOff()
        collector = UplinkCollector(
            configuration: .init(window: configuration.deduplicationWindow,
                                 maximumOpenWindows: configuration.maximumOpenDeduplicationWindows),
            clock: clock, deliver: { frame, receivedAt in deliver.hand(frame, receivedAt) })
        deliver.target = self
    }

    // MARK: GatewayTrafficHandler

    public func uplinkReceived(_ uplink: GatewayUplink) async {
        metrics.gatewayCopyReceived()
        if await !collector.receive(uplink) {
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

    /// Stops the deduplication timer; frames in open windows are not processed.
    public func stop() async {
        await collector.stop()
    }

    // MARK: Frames

    /// One deduplicated frame: a join-request or a data uplink (proprietary frames are counted and ignored).
    func process(_ frame: UplinkCollector.Frame, receivedAt: Date) async {
        guard let first = frame.phyPayload.first, let mhdr = try? MHDR(byte: first) else {
            drop(.malformed(.invalidField(field: "MHDR", reason: "not a LoRaWAN R1 header")), devEUI: nil, devAddr: nil)
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
            drop(.malformed(.invalidField(field: "MHDR", reason: "\(mhdr.mType) is not an uplink message type")), devEUI: nil, devAddr: nil)
        }
    }

    /// Stores `updates` durably (group-committed); the outcome of each as the store decided it.
    func store(_ update: NetworkSessionUpdate) async throws -> Bool {
        try await writes.submit(update)
    }

    /// Counts and reports a dropped frame; MIC failures and replays reach the application's events.
    func drop(_ reason: UplinkDropReason, devEUI: EUI64?, devAddr: DevAddr?) {
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
        let application = application
        Task { await application.networkEvent(event) }
    }
}

/// Breaks the reference cycle between the server and its collector's delivery closure, and starts one
/// task per frame (frames of different devices are independent; the cache orders those of one device).
private final class FrameHandOff: Sendable {
    private struct WeakServer { weak var server: NetworkServer? }
    private let box = Mutex(WeakServer())

    var target: NetworkServer? {
        get { box.withLock { $0.server } }
        set { box.withLock { $0.server = newValue } }
    }

    func hand(_ frame: UplinkCollector.Frame, _ receivedAt: Date) {
        guard let target else { return }
        Task { await target.process(frame, receivedAt: receivedAt) }
    }
}
