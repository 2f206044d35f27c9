import BackendInterfaces
import Foundation
import GroupCommit
import LoRaWAN
import Logging

/// The Application Server role (DESIGN.md): receives what the Network Server hands over, obtains
/// AppSKeys from the Join Server, decrypts uplinks, and turns everything into ``ApplicationEvent``s for
/// each device's application: on the live ``EventStream`` and, through the durable outbox, to its
/// webhooks.
///
/// It holds the AppSKey and no other key (DESIGN.md invariant 3): keys enter only through
/// ``AppSKeyFetcher``, which asks for and opens an AppSKey only. A failure is never thrown at the
/// Network Server: it becomes an `error` event, a log line and a metric.
///
/// Downlinks go the other way through ``DeviceDownlinkQueue``, a separate value, so that the wiring can
/// build the Network Server (which needs this handler) before the downlink side (which needs the
/// Network Server's queue).
public final class ApplicationServer: ApplicationUplinkHandler {
    public let keyFetcher: AppSKeyFetcher
    private let sessions: any ApplicationSessionStore
    /// The AppSKeys of joins that arrive together are stored in one transaction: a join storm would
    /// otherwise queue one write transaction per device behind the database's one writer.
    private let sessionStores: GroupCommitQueue<ApplicationSession, Void>
    private let router: EventRouter
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let metrics = ApplicationServerMetrics()

    public init(
        applicationServerID: ApplicationServerID, joinService: any JoinService, keks: any KEKLookup,
        sessions: any ApplicationSessionStore, applications: any ApplicationRegistry, webhooks: WebhookDispatcher, events: EventStream,
        configuration: ApplicationServerConfiguration = .init(), logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        keyFetcher = AppSKeyFetcher(
            applicationServerID: applicationServerID, joinService: joinService, keks: keks,
            protocolVersion: configuration.backendProtocolVersion, acceptsPlainKeys: configuration.acceptsPlainAppSKeys, logger: logger)
        self.sessions = sessions
        sessionStores = GroupCommitQueue(maximumBatch: 256, gatheringDelay: .microseconds(200)) { batch in
            try await sessions.store(batch)
            return batch.map { _ in () }
        }
        router = EventRouter(applications: applications, stream: events, webhooks: webhooks, logger: logger)
        self.clock = clock
        self.logger = logger
    }

    /// A device joined: fetch and store the AppSKey of its new session, then publish a `join` event
    /// (or an `error` event saying why its uplinks will not decrypt).
    public func joined(_ join: ApplicationJoin) async {
        let application = await router.application(of: join.devEUI)
        let session: ApplicationSession
        do {
            session = try await keyFetcher.fetch(for: join, at: clock())
        } catch {
            metrics.appSKeyRequest(error.metricLabel)
            await publishError(.appSKeyUnavailable, error.description, devEUI: join.devEUI, devAddr: join.devAddr, application: application)
            return
        }
        do {
            try await sessionStores.submit(session)
        } catch {
            metrics.appSKeyRequest("not_stored")
            logger.error("the AppSKey of a new session could not be stored", metadata: ["dev_eui": "\(join.devEUI)", "error": "\(error)"])
            await publishError(
                .storageFailed, "the AppSKey of the new session could not be stored", devEUI: join.devEUI, devAddr: join.devAddr,
                application: application)
            return
        }
        metrics.appSKeyRequest("success")
        let event = JoinEvent(
            applicationID: application?.id, devEUI: join.devEUI, joinEUI: join.joinEUI, devAddr: join.devAddr, macVersion: join.macVersion,
            joinedAt: join.joinedAt)
        await router.publish(.join(event), to: application)
    }

    /// A data uplink: decrypt it with its session's AppSKey and publish an `uplink` event, or an
    /// `error` event when that session's AppSKey is not here.
    public func uplinkReceived(_ uplink: ApplicationUplink) async {
        let application = await router.application(of: uplink.devEUI)
        let session: ApplicationSession?
        do {
            session = try await sessions.session(devEUI: uplink.devEUI, sessionKeyID: uplink.sessionKeyID)
        } catch {
            metrics.uplink("storage_failed")
            logger.error("a session could not be read", metadata: ["dev_eui": "\(uplink.devEUI)", "error": "\(error)"])
            await publishError(
                .storageFailed, "the session of FCnt \(uplink.fCnt) could not be read; the uplink is lost", devEUI: uplink.devEUI,
                devAddr: uplink.devAddr, application: application)
            return
        }
        guard let session else {
            metrics.uplink("unknown_session")
            logger.notice("uplink of a session without AppSKey", metadata: ["dev_eui": "\(uplink.devEUI)", "f_cnt": "\(uplink.fCnt)"])
            await publishError(
                .unknownSession, "no AppSKey for the session of the uplink with FCnt \(uplink.fCnt); it cannot be decrypted",
                devEUI: uplink.devEUI, devAddr: uplink.devAddr, application: application)
            return
        }
        do {
            let event = try UplinkDecryption.decrypt(uplink, session: session, applicationID: application?.id)
            metrics.uplink("decrypted")
            await router.publish(.uplink(event), to: application)
        } catch {
            metrics.uplink("invalid")
            await publishError(.invalidUplink, error.description, devEUI: uplink.devEUI, devAddr: uplink.devAddr, application: application)
        }
    }

    /// The Network Server's news of a downlink (sent, acknowledged, not acknowledged, dropped).
    public func downlinkUpdated(_ event: ApplicationDownlinkEvent) async {
        let application = await router.application(of: event.devEUI)
        await router.publish(.downlinkOutcome(DownlinkOutcomeEvent(event, applicationID: application?.id)), to: application)
    }

    /// A frame the Network Server dropped (MIC failure, replay...), as an `error` event.
    public func networkEvent(_ event: NetworkEvent) async {
        let application = await router.application(of: event.devEUI)
        await router.publish(.error(ApplicationErrorEvent(event, applicationID: application?.id)), to: application)
    }

    private func publishError(
        _ code: ApplicationErrorEvent.Code, _ detail: String, devEUI: EUI64, devAddr: DevAddr?, application: Application?
    ) async {
        let event = ApplicationErrorEvent(applicationID: application?.id, devEUI: devEUI, devAddr: devAddr, code: code, detail: detail, time: clock())
        await router.publish(.error(event), to: application)
    }
}
