import BackendInterfaces
import Foundation
import LoRaWAN
import Logging

extension NetworkServer {
    /// The device's next queued application downlink, `nil` when there is none (or it cannot be read).
    func firstQueuedDownlink(of devEUI: EUI64) async -> ApplicationDownlink? {
        guard await queuedIndex.mayHaveQueued(devEUI) else { return nil }
        do {
            guard let first = try await downlinkStore.queued(devEUI: devEUI).first else {
                await queuedIndex.markEmpty(devEUI)
                return nil
            }
            return first
        } catch {
            logger.error("queued downlinks could not be read", metadata: ["dev_eui": "\(devEUI)", "error": "\(error)"])
            return nil
        }
    }

    /// Builds, stores and sends a class A downlink answering `frame`: an ACK, MAC commands and at most
    /// one application downlink. The spent counter is stored before the frame leaves (a counter must
    /// never be used twice). `false` when another frame changed the session first.
    func answer(
        frame: UplinkCollector.Frame, session previous: NetworkSession, acknowledging fCnt: UInt32?, macAnswers: [DownlinkMACCommand],
        application queued: ApplicationDownlink?
    ) async -> Bool {
        var content = DownlinkFrameContent(macCommands: macAnswers, application: queued, acknowledgedUplinkFCnt: fCnt)
        var built: DownlinkFrame?
        var windows: ReceiveWindowPlanner.Windows?
        do {
            windows = try ReceiveWindowPlanner.windows(for: previous, uplink: frame.best.metadata)
        } catch {
            logger.notice("no receive window for the answer", metadata: ["dev_eui": "\(previous.devEUI)", "error": "\(error)"])
            return true
        }
        guard let windows else { return true }
        let dataRate = Self.roomier(windows.rx1.dataRate, windows.rx2.dataRate, region: previous.regionalParameters)
        do {
            built = try DownlinkFrameBuilder.build(content, for: previous, dataRate: dataRate)
        } catch {
            guard let downlink = content.application else {
                metrics.downlink("unbuildable")
                logger.warning("downlink could not be built", metadata: ["dev_eui": "\(previous.devEUI)", "error": "\(error)"])
                return true
            }
            // The application downlink does not fit or no longer belongs to the session: it is dropped
            // and reported, and the ACK and MAC answers still go out.
            await dropApplicationDownlink(downlink, reason: "\(error)")
            content.application = nil
            built = try? DownlinkFrameBuilder.build(content, for: previous, dataRate: dataRate)
        }
        guard let built else { return true }
        var session = previous
        session.recordDownlinkSent(built)
        if built.confirmed, let id = built.applicationDownlinkID { session.pendingConfirmedDownlinkID = id }
        guard await cache.commit(session, replacing: previous) else { return false }
        do {
            guard try await store(NetworkSessionUpdate(session: session, macStateChanged: true)) else {
                await cache.evict(devEUI: session.devEUI)
                return true
            }
        } catch {
            await cache.evict(devEUI: session.devEUI)
            logger.error("the downlink counter could not be stored; nothing sent", metadata: ["dev_eui": "\(session.devEUI)", "error": "\(error)"])
            return true
        }
        if let id = built.applicationDownlinkID { _ = try? await downlinkStore.remove(id: id) }
        let diid = await tracker.register(.init(devEUI: session.devEUI, applicationDownlinkID: built.applicationDownlinkID, confirmed: built.confirmed))
        for reception in frame.receptions {
            do {
                let downlink = try ReceiveWindowPlanner.classA(
                    phyPayload: built.phyPayload, session: session, answering: reception.metadata, diid: diid)
                try await gateways.send(downlink, through: reception.gatewayEUI)
                metrics.downlink("scheduled")
                return true
            } catch {
                logger.notice("downlink not sent through a gateway", metadata: [
                    "dev_eui": "\(session.devEUI)", "gateway": "\(reception.gatewayEUI)", "error": "\(error)",
                ])
            }
        }
        await tracker.cancel(diid)
        metrics.downlink("no_gateway")
        if let id = built.applicationDownlinkID {
            await application.downlinkUpdated(ApplicationDownlinkEvent(
                id: id, devEUI: session.devEUI, outcome: .dropped, detail: "no gateway that heard the device could take it", time: clock()))
        }
        return true
    }

    /// Sends a class C device's queued application downlink now, in RX2, through a gateway that heard it
    /// last. Does nothing for class A devices (their downlinks wait for an uplink).
    func sendClassCDownlinks(of devEUI: EUI64) async {
        for _ in 0 ..< configuration.sessionConflictRetries {
            guard let previous = try? await cache.session(devEUI: devEUI), previous.macSettings.deviceClass == .classC else { return }
            guard let queued = await firstQueuedDownlink(of: devEUI) else { return }
            let receptions = await sightings.receptions(of: devEUI)
            guard !receptions.isEmpty else { return }
            let built: DownlinkFrame
            do {
                built = try DownlinkFrameBuilder.build(
                    DownlinkFrameContent(application: queued), for: previous, dataRate: previous.macSettings.rx2DataRate)
            } catch {
                await dropApplicationDownlink(queued, reason: "\(error)")
                continue
            }
            var session = previous
            session.recordDownlinkSent(built)
            if built.confirmed { session.pendingConfirmedDownlinkID = queued.id }
            guard await cache.commit(session, replacing: previous) else { continue }
            guard (try? await store(NetworkSessionUpdate(session: session, macStateChanged: true))) == true else {
                await cache.evict(devEUI: devEUI)
                return
            }
            _ = try? await downlinkStore.remove(id: queued.id)
            let diid = await tracker.register(.init(devEUI: devEUI, applicationDownlinkID: queued.id, confirmed: built.confirmed))
            for reception in receptions {
                if let downlink = try? ReceiveWindowPlanner.classC(phyPayload: built.phyPayload, session: session, diid: diid),
                   (try? await gateways.send(downlink, through: reception.gatewayEUI)) != nil {
                    metrics.downlink("class_c")
                    return
                }
            }
            await tracker.cancel(diid)
            await application.downlinkUpdated(ApplicationDownlinkEvent(
                id: queued.id, devEUI: devEUI, outcome: .dropped, detail: "no gateway that heard the device is connected", time: clock()))
            return
        }
    }

    func dropApplicationDownlink(_ downlink: ApplicationDownlink, reason: String) async {
        _ = try? await downlinkStore.remove(id: downlink.id)
        metrics.downlink("dropped")
        logger.notice("application downlink dropped", metadata: ["dev_eui": "\(downlink.devEUI)", "reason": "\(reason)"])
        await application.downlinkUpdated(ApplicationDownlinkEvent(
            id: downlink.id, devEUI: downlink.devEUI, outcome: .dropped, detail: reason, time: clock()))
    }

    /// Of two downlink data rates, the one that carries the longer MACPayload in the region.
    static func roomier(_ a: DataRateIndex, _ b: DataRateIndex, region: RegionalParameters) -> DataRateIndex {
        let sizeA = (try? region.maxPayloadSize(dataRate: a, dwellTime: .unlimited))?.macPayload ?? 0
        let sizeB = (try? region.maxPayloadSize(dataRate: b, dwellTime: .unlimited))?.macPayload ?? 0
        return sizeB > sizeA ? b : a
    }
}
