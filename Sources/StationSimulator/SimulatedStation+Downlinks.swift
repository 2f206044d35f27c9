import Foundation
import LoRaWAN

extension SimulatedStation {
    /// One text frame from the LNS.
    func handle(_ text: String) async {
        // `dnmsg` is the one message that comes often; the server writes `msgtype` first.
        if text.utf8.starts(with: #"{"msgtype":"dnmsg""#.utf8) {
            receivedDownlink(text)
            return
        }
        guard let type = try? JSONDecoder().decode(LNSMessageType.self, from: Data(text.utf8)), let msgtype = type.msgtype else {
            counters.malformedMessages += 1
            record("a message from the LNS is not a JSON object with a msgtype")
            return
        }
        switch msgtype {
        case "router_config":
            await receivedRouterConfig(text)
        case "dnmsg":
            receivedDownlink(text)
        case "error":
            counters.lnsErrors += 1
            record("the LNS reported an error: \(text.prefix(200))")
        default:
            // timesync answers, dnsched, runcmd, rmtsh...: nothing a simulated station acts on.
            break
        }
    }

    /// When the station puts a downlink on air (basics-station-protocol §3.4).
    enum Transmission: Equatable {
        /// Class A, RX1: `xtime` + RxDelay.
        case rx1
        /// Class A, RX2 one second later, because RX1 was less than 20 ms away or absent.
        case rx2
        /// As soon as possible (class B and C here).
        case immediately
        /// RX2 was less than 20 ms away too: the station drops the frame and reports nothing.
        case tooLate
    }

    /// A `dnmsg`: the station "transmits" it and reports `dntxed` (when it names a device), then the
    /// device it addresses reads the frame — if it falls into that device's receive windows.
    private func receivedDownlink(_ text: String) {
        counters.downlinkMessagesReceived += 1
        guard let routerConfig else {
            // The station drops downlinks that come before its router_config (basics-station-protocol §3.4).
            counters.malformedMessages += 1
            record("a dnmsg arrived before router_config")
            return
        }
        let order: StationDownlinkOrder
        do {
            order = try StationDownlinkOrder(decoding: text)
        } catch {
            counters.malformedMessages += 1
            record("\(error)")
            return
        }
        let now = ContinuousClock.now
        let transmission = transmission(of: order, at: now)
        guard transmission != .tooLate else {
            counters.downlinksTooLate += 1
            record("a downlink for \(order.devEUI) (diid \(order.diid)) came too late for RX1 and RX2")
            return
        }
        if order.devEUI.rawValue != 0 {
            enqueue(transmissionReport(for: order, transmission, at: now, spelling: routerConfig.euiFieldSpelling))
            counters.transmissionReportsSent += 1
        }
        deliver(order)
    }

    /// RX1 if it is at least 20 ms away, else RX2 if that is, else too late; class B and C at once.
    func transmission(of order: StationDownlinkOrder, at now: ContinuousClock.Instant) -> Transmission {
        guard order.deviceClass == 0, let xtime = order.xtime, options.enforcesReceiveWindows else { return .immediately }
        let margin: Int64 = 20_000
        let current = clock.microseconds(at: now)
        let rx1 = (xtime & 0xFFFF_FFFF_FFFF) + Int64(order.rxDelay) * 1_000_000
        if order.rx1 != nil, current + margin <= rx1 { return .rx1 }
        if order.rx2 != nil, current + margin <= rx1 + 1_000_000 { return .rx2 }
        return .tooLate
    }

    /// `dntxed` with the window, data rate and `xtime` the frame went out with.
    private func transmissionReport(
        for order: StationDownlinkOrder, _ transmission: Transmission, at now: ContinuousClock.Instant, spelling: StationEUIFieldSpelling
    ) -> String {
        let window: StationDownlinkOrder.Window?
        let xtime: Int64
        switch transmission {
        case .rx1:
            window = order.rx1
            xtime = (order.xtime ?? 0) + Int64(order.rxDelay) * 1_000_000
        case .rx2:
            window = order.rx2
            xtime = (order.xtime ?? 0) + Int64(order.rxDelay + 1) * 1_000_000
        case .immediately, .tooLate:
            window = order.rx1 ?? order.rx2
            xtime = clock.nextXTime(at: now)
        }
        return StationMessageEncoding.downlinkTransmitted(
            diid: order.diid, devEUI: order.devEUI, dataRate: window?.dataRate ?? .dr0,
            frequency: window?.frequency ?? Frequency(hertz: 0), rctx: order.rctx ?? 0, xtime: xtime,
            txTime: clock.stationSeconds(at: now), gpsTime: 0, spelling: spelling)
    }

    /// Hands the frame to the device it is for. A join-accept for a DevEUI the station does not know
    /// goes to the devices that wait for one, and the one whose keys verify it takes it.
    private func deliver(_ order: StationDownlinkOrder) {
        let isJoinAccept = (try? MHDR(byte: order.pdu[0]))?.mType == .joinAccept
        let candidates: [EUI64]
        if slots[order.devEUI] != nil {
            candidates = [order.devEUI]
        } else if isJoinAccept {
            candidates = deviceOrder.filter { slots[$0]?.device.pendingDevNonce != nil }
        } else {
            counters.downlinksForUnknownDevices += 1
            record("a downlink names \(order.devEUI), which is not on this station")
            return
        }
        let hearing = candidates.compactMap { devEUI in window(of: order, device: devEUI, joinAccept: isJoinAccept).map { (devEUI, $0) } }
        guard !hearing.isEmpty else {
            counters.downlinksOutsideReceiveWindows += 1
            record("a downlink for \(order.devEUI) (diid \(order.diid)) falls outside the device's receive windows")
            return
        }
        if isJoinAccept {
            deliverJoinAccept(order.pdu, to: hearing.map(\.0))
        } else {
            for (devEUI, uplink) in hearing { deliverDataDownlink(order.pdu, to: devEUI, answering: uplink.fCnt) }
        }
    }

    /// The uplink whose receive windows the downlink falls in, or `nil` when the device does not hear it.
    /// A class A device listens RxDelay (join: JOIN_ACCEPT_DELAY1 = 5 s) after an uplink, in RX1, and a
    /// second later in RX2 (LoRaWAN 1.1 §3.3): the order's `xtime` must be that uplink's.
    private func window(of order: StationDownlinkOrder, device devEUI: EUI64, joinAccept: Bool) -> RecentUplink? {
        guard let slot = slots[devEUI] else { return nil }
        guard options.enforcesReceiveWindows else { return slot.recentUplinks.last ?? RecentUplink(xtime: 0, fCnt: nil) }
        guard order.deviceClass == 0, let xtime = order.xtime, let uplink = slot.recentUplinks.last(where: { $0.xtime == xtime }) else {
            return nil
        }
        let expectedDelay = joinAccept
            ? Int(RegionalDefaultSettings.joinAcceptDelay1.components.seconds)
            : slot.device.session?.rxDelay ?? 1
        return order.rxDelay == expectedDelay ? uplink : nil
    }

    private func deliverJoinAccept(_ pdu: [UInt8], to candidates: [EUI64]) {
        var refusals: [(EUI64, VirtualDeviceError)] = []
        for devEUI in candidates {
            do throws(VirtualDeviceError) {
                let result = try slots[devEUI]!.device.acceptJoin(pdu)
                counters.joinsAccepted += 1
                completeJoin(devEUI, with: .success(result))
                return
            } catch {
                refusals.append((devEUI, error))
            }
        }
        counters.joinAcceptsRefused += 1
        for (devEUI, error) in refusals {
            if case .joinAcceptMICMismatch = error { counters.micFailures += 1 }
            slots[devEUI]?.joinRefusal = error
            record("join-accept refused: \(error)")
        }
    }

    /// Resumes the waiting `join`, or keeps the outcome for it if it is not waiting yet.
    private func completeJoin(_ devEUI: EUI64, with outcome: Result<JoinResult, SimulatedStationError>) {
        if let waiter = slots[devEUI]?.joinWaiter {
            slots[devEUI]?.joinWaiter = nil
            waiter.continuation.resume(with: outcome.mapError { $0 as any Error })
        } else {
            slots[devEUI]?.joinOutcome = outcome
        }
    }

    private func deliverDataDownlink(_ pdu: [UInt8], to devEUI: EUI64, answering uplinkFCnt: UInt32?) {
        do throws(VirtualDeviceError) {
            // In place: the device's arrays are not copied.
            let downlink = try slots[devEUI]!.device.receiveDownlink(pdu, answering: uplinkFCnt)
            counters.downlinksAccepted += 1
            if downlink.ack { counters.acknowledgementsReceived += 1 }
            slots[devEUI]?.downlinks?.yield(downlink)
        } catch {
            if case .downlinkMICMismatch = error { counters.micFailures += 1 } else { counters.downlinksRefused += 1 }
            record("downlink refused: \(error)")
        }
    }
}
