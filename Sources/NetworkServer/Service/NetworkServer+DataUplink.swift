import BackendInterfaces
import Foundation
import LoRaWAN
import Logging

extension NetworkServer {
    /// A data uplink: find its session by MIC, apply the counter rule, run the MAC layer, store the
    /// session, then hand the payload on and answer in the device's receive window when it needs one.
    func processDataUplink(_ frame: UplinkCollector.Frame, receivedAt: Date) async {
        let layout: DataFrameLayout
        let decoded: DataFrame
        do {
            layout = try DataUplinkVerification.parse(frame.phyPayload)
            decoded = try DataFrame(decoding: frame.phyPayload)
        } catch {
            await drop(.malformed(error), devEUI: nil, devAddr: nil)
            return
        }
        let best = frame.best.metadata
        for _ in 0 ..< configuration.sessionConflictRetries {
            let candidates: [NetworkSession]
            do {
                candidates = try await cache.candidates(devAddr: layout.devAddr)
            } catch {
                metrics.uplinkDropped(.unknownDevAddr(layout.devAddr))
                logger.error("sessions could not be read; uplink lost", metadata: ["dev_addr": "\(layout.devAddr)", "error": "\(error)"])
                return
            }
            let outcome = DataUplinkVerification.verify(
                phyPayload: frame.phyPayload, layout: layout, dataRate: best.dataRate, frequency: best.frequency, candidates: candidates,
                counterCheck: counterCheck)
            let verified: VerifiedDataUplink
            switch outcome {
            case .unknownDevAddr(let devAddr):
                await drop(.unknownDevAddr(devAddr), devEUI: nil, devAddr: devAddr)
                return
            case .micFailed(let count):
                await drop(.micFailed(candidates: count), devEUI: count == 1 ? candidates.first { $0.devAddr == layout.devAddr }?.devEUI : nil,
                           devAddr: layout.devAddr)
                return
            case .verified(let found):
                verified = found
            }
            let previous = verified.session
            switch verified.frameCounter {
            case .replay, .gapTooLarge:
                if let reason = UplinkDropReason(verified.frameCounter) { await drop(reason, devEUI: previous.devEUI, devAddr: previous.devAddr) }
                return
            case .retransmission(let fCnt):
                // The same ACK again, and nothing new for the application (LoRaWAN 1.1 §4.3.1.2).
                metrics.uplinkRetransmission()
                if await answer(frame: frame, session: previous, acknowledging: fCnt, macAnswers: [], application: nil) {
                    return
                }
                continue
            case .new(let fCnt):
                switch await accept(frame, decoded: decoded, fCnt: fCnt, session: previous, receivedAt: receivedAt) {
                case .done: return
                case .conflict: continue
                }
            }
        }
        metrics.uplinkDropped(.replay(fCnt: UInt32(layout.fCnt16)))
        logger.warning("uplink dropped: its session kept changing under it", metadata: ["dev_addr": "\(layout.devAddr)"])
    }

    enum AcceptOutcome { case done, conflict }

    /// A new frame of `previous`'s device.
    private func accept(
        _ frame: UplinkCollector.Frame, decoded: DataFrame, fCnt: UInt32, session previous: NetworkSession, receivedAt: Date
    ) async -> AcceptOutcome {
        guard case .uplink(let fCtrl) = decoded.fCtrl else { return .done }
        var session = previous
        let context = UplinkRadioContext(frame, serverTime: receivedAt)
        session.recordAcceptedUplink(fCnt: fCnt, confirmed: decoded.confirmed, adr: fCtrl.adr, context: context)

        // Settle the confirmed application downlink the device was asked to acknowledge.
        var settled: ApplicationDownlinkEvent?
        if let pending = session.pendingConfirmedDownlinkID {
            settled = ApplicationDownlinkEvent(
                id: pending, devEUI: session.devEUI, outcome: fCtrl.ack ? .acknowledged : .notAcknowledged,
                detail: fCtrl.ack ? "acknowledged in FCnt \(fCnt)" : "FCnt \(fCnt) carries no acknowledgement", time: receivedAt)
            session.pendingConfirmedDownlinkID = nil
        }

        let block = UplinkMACCommandReader.read(frame: decoded, fCnt: fCnt, session: session)
        let response = responder.respond(to: block, context: context, fCnt: fCnt, session: &session)
        if let stop = response.parseStop { metrics.uplinkDropped(.macCommandsMalformed(stop)) }
        for notice in response.notices {
            logger.debug("MAC", metadata: ["dev_eui": "\(session.devEUI)", "notice": "\(notice)"])
        }
        if case .deviceClassChanged(let deviceClass) = response.notices.first(where: {
            if case .deviceClassChanged = $0 { return true } else { return false }
        }) {
            session.macSettings.deviceClass = deviceClass
        }

        let macStateChanged = session.macSettings != previous.macSettings || session.pendingMACRequests != previous.pendingMACRequests
            || session.deviceStatus != previous.deviceStatus || session.pendingConfirmedDownlinkID != previous.pendingConfirmedDownlinkID
            || session.macReconciliation != previous.macReconciliation
        guard await cache.commit(session, replacing: previous) else { return .conflict }
        do {
            guard try await store(NetworkSessionUpdate(session: session, macStateChanged: macStateChanged, advancesUplinkCounter: true)) else {
                await cache.evict(devEUI: session.devEUI)
                logger.notice("uplink dropped: another instance advanced the session first", metadata: ["dev_eui": "\(session.devEUI)"])
                metrics.uplinkDropped(.replay(fCnt: fCnt))
                return .done
            }
        } catch {
            await cache.evict(devEUI: session.devEUI)
            logger.error("the session could not be stored; uplink dropped", metadata: ["dev_eui": "\(session.devEUI)", "error": "\(error)"])
            return .done
        }
        metrics.uplinkAccepted()
        await sightings.record(session.devEUI, frame.receptions)

        if let settled { await application.downlinkUpdated(settled) }
        if let fPort = decoded.fPort, fPort > 0 {
            await application.uplinkReceived(ApplicationUplink(
                devEUI: session.devEUI, devAddr: session.devAddr, sessionKeyID: session.sessionKeyID, fPort: fPort, fCnt: fCnt,
                encryptedFRMPayload: decoded.frmPayload, confirmed: decoded.confirmed, dataRate: context.dataRate,
                frequency: context.frequency,
                receptions: frame.receptions.map { reception in
                    GatewayReception(
                        gatewayEUI: reception.gatewayEUI, rssi: reception.metadata.rssi, snr: reception.metadata.snr,
                        time: reception.metadata.stationReceiveTime ?? receivedAt)
                },
                receivedAt: receivedAt))
        }

        var requests = adr.linkADRRequests(for: session)
        requests += await plannedMACRequests(for: session, alongside: response.answers + requests)
        let queued = await firstQueuedDownlink(of: session.devEUI)
        let reasons = DownlinkReasons(
            confirmed: decoded.confirmed, fCtrl: fCtrl, macAnswers: response.answers, macRequests: requests,
            applicationQueued: queued != nil)
        if reasons.isEmpty { return .done }
        // Ask for the battery and margin while a downlink goes out anyway, never with a frame of its own.
        if session.deviceStatus == nil, !session.pendingMACRequests.contains(.devStatusReq),
           MACSettingsPlanner.fitsFOpts(.devStatusReq, after: response.answers + requests) {
            requests.append(.devStatusReq)
        }
        _ = await answer(
            frame: frame, session: session, acknowledging: decoded.confirmed ? fCnt : nil, macAnswers: response.answers + requests,
            application: queued)
        return .done
    }
}
