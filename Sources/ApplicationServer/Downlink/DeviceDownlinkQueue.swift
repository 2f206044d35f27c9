import BackendInterfaces
import Foundation
import LoRaWAN
import Logging

/// An application's downlink queue per device (push, list, clear): validates and encrypts here, queues
/// in the Network Server, which adds header and MIC and never sees the plaintext.
///
/// A push reserves the next downlink counter of the device's current session from the Network Server,
/// encrypts with the AppSKey of exactly that session and that counter, and queues the frame. A counter
/// reserved for a payload that then turns out too long for the data rate stays unused: a gap in
/// FCntDown is harmless (devices accept any greater counter); reusing one would not be.
public struct DeviceDownlinkQueue: Sendable {
    private let sessions: any ApplicationSessionStore
    private let networkServer: any ApplicationDownlinkQueue
    private let router: EventRouter
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let metrics = ApplicationServerMetrics()

    public init(
        sessions: any ApplicationSessionStore, networkServer: any ApplicationDownlinkQueue, applications: any ApplicationRegistry,
        webhooks: WebhookDispatcher, events: EventStream, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.sessions = sessions
        self.networkServer = networkServer
        router = EventRouter(applications: applications, stream: events, webhooks: webhooks, logger: logger)
        self.clock = clock
        self.logger = logger
    }

    /// Encrypts and queues `request`; publishes `downlink_queued`. Returns the frame as queued.
    @discardableResult
    public func push(_ request: DownlinkRequest) async throws(DownlinkError) -> ApplicationDownlink {
        do {
            let downlink = try await encryptAndQueue(request)
            metrics.downlink("queued")
            let application = await router.application(of: request.devEUI)
            let event = DownlinkQueuedEvent(
                applicationID: application?.id, devEUI: request.devEUI, downlinkID: downlink.id, fPort: downlink.fPort, fCnt: downlink.fCnt,
                confirmed: downlink.confirmed, queuedAt: clock())
            await router.publish(.downlinkQueued(event), to: application)
            return downlink
        } catch {
            metrics.downlink("refused")
            logger.debug("downlink refused", metadata: ["dev_eui": "\(request.devEUI)", "reason": "\(error)"])
            throw error
        }
    }

    /// The device's queued downlinks, decrypted when their session's AppSKey is here.
    public func list(devEUI: EUI64) async throws(DownlinkError) -> [QueuedDownlink] {
        let queued: [ApplicationDownlink]
        do {
            queued = try await networkServer.queued(devEUI: devEUI)
        } catch {
            throw .networkServerRefused("\(error)")
        }
        var sessionsByID: [[UInt8]: ApplicationSession?] = [:]
        var result: [QueuedDownlink] = []
        for downlink in queued {
            if sessionsByID[downlink.sessionKeyID] == nil {
                sessionsByID[downlink.sessionKeyID] = try await session(devEUI: devEUI, sessionKeyID: downlink.sessionKeyID)
            }
            let payload = (sessionsByID[downlink.sessionKeyID] ?? nil).flatMap { DownlinkEncryption.decrypt(downlink, session: $0) }
            result.append(QueuedDownlink(id: downlink.id, fPort: downlink.fPort, fCnt: downlink.fCnt, payload: payload, confirmed: downlink.confirmed))
        }
        return result
    }

    /// Empties the device's queue.
    public func clear(devEUI: EUI64) async throws(DownlinkError) {
        do {
            try await networkServer.clear(devEUI: devEUI)
        } catch {
            throw .networkServerRefused("\(error)")
        }
    }

    private func encryptAndQueue(_ request: DownlinkRequest) async throws(DownlinkError) -> ApplicationDownlink {
        let latest: ApplicationSession?
        do {
            latest = try await sessions.latestSession(devEUI: request.devEUI)
        } catch {
            throw .storageFailed("\(error)")
        }
        guard latest != nil else { throw .noSession(request.devEUI) }
        let reservation: DownlinkCounterReservation
        do {
            reservation = try await networkServer.reserveDownlinkCounter(devEUI: request.devEUI)
        } catch {
            throw .networkServerRefused("\(error)")
        }
        guard let session = try await session(devEUI: request.devEUI, sessionKeyID: reservation.sessionKeyID) else {
            throw .sessionNotReady(request.devEUI)
        }
        let downlink = try DownlinkEncryption.encrypt(request, session: session, reservation: reservation, id: UUID())
        do {
            try await networkServer.enqueue(downlink)
        } catch {
            throw .networkServerRefused("\(error)")
        }
        return downlink
    }

    private func session(devEUI: EUI64, sessionKeyID: [UInt8]) async throws(DownlinkError) -> ApplicationSession? {
        do {
            return try await sessions.session(devEUI: devEUI, sessionKeyID: sessionKeyID)
        } catch {
            throw .storageFailed("\(error)")
        }
    }
}
