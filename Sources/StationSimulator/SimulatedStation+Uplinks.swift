import Foundation
import LoRaWAN

extension SimulatedStation {
    /// Has `devEUI` send a join-request and waits for a join-accept it accepts.
    ///
    /// Join-accepts the device refuses (forged, wrong MIC, stale JoinNonce) do not end the wait, as a
    /// device keeps listening; if nothing acceptable comes within `timeout`, the join fails with
    /// `.joinTimedOut` naming the last refusal, and the device stops waiting for that DevNonce.
    public func join(_ devEUI: EUI64, timeout: Duration = .seconds(10)) async throws(SimulatedStationError) -> JoinResult {
        guard routerConfig != nil else { throw ending ?? .notStarted }
        guard var slot = slots[devEUI] else { throw .unknownDevice(devEUI) }
        guard slot.joinWaiter == nil, slot.device.pendingDevNonce == nil else { throw .joinInProgress(devEUI) }
        let transmission: VirtualDeviceTransmission
        do {
            transmission = try slot.device.makeJoinRequest()
        } catch {
            throw .device(error)
        }
        let reception = reception(of: transmission, from: devEUI)
        guard let text = StationMessageEncoding.joinRequest(
            transmission.phyPayload, reception: reception, spelling: routerConfig?.euiFieldSpelling ?? .mixedCase)
        else {
            slots[devEUI]?.device.abandonJoin()
            throw .unencodableFrame("the device's join-request is not a 23-byte join-request")
        }
        slot.recentUplinks = [RecentUplink(xtime: reception.xtime, fCnt: nil)]
        slot.joinOutcome = nil
        slot.joinRefusal = nil
        slots[devEUI] = slot
        counters.joinRequestsSent += 1
        do {
            try await write(text)
        } catch {
            slots[devEUI]?.device.abandonJoin()
            throw error
        }
        if let outcome = slots[devEUI]?.joinOutcome {
            slots[devEUI]?.joinOutcome = nil
            return try outcome.get()
        }

        nextToken += 1
        let token = nextToken
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.joinWaitEnded(devEUI, token: token, reason: nil)
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    slots[devEUI]?.joinWaiter = JoinWaiter(token: token, continuation: continuation)
                }
            } onCancel: {
                Task { await self.joinWaitEnded(devEUI, token: token, reason: .cancelled) }
            }
        } catch let error as SimulatedStationError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    /// The receive windows of a join passed (timeout) or its caller gave up.
    private func joinWaitEnded(_ devEUI: EUI64, token: Int, reason: SimulatedStationError?) {
        guard let waiter = slots[devEUI]?.joinWaiter, waiter.token == token else { return }
        slots[devEUI]?.joinWaiter = nil
        slots[devEUI]?.device.abandonJoin()
        if reason == nil { counters.joinTimeouts += 1 }
        let refusal = slots[devEUI]?.joinRefusal
        waiter.continuation.resume(throwing: reason ?? SimulatedStationError.joinTimedOut(devEUI, refusal: refusal))
    }

    /// Has `devEUI` send a data uplink and returns once the station has written its `updf`.
    @discardableResult
    public func sendUplink(
        _ devEUI: EUI64, fPort: UInt8 = 1, payload: [UInt8], confirmed: Bool = false
    ) async throws(SimulatedStationError) -> VirtualDeviceTransmission {
        guard routerConfig != nil else { throw ending ?? .notStarted }
        guard slots[devEUI] != nil else { throw .unknownDevice(devEUI) }
        let transmission: VirtualDeviceTransmission
        do {
            transmission = try slots[devEUI]!.device.makeUplink(fPort: fPort, payload: payload, confirmed: confirmed)
        } catch {
            throw .device(error)
        }
        let reception = reception(of: transmission, from: devEUI)
        guard let text = StationMessageEncoding.dataUplink(transmission.phyPayload, reception: reception) else {
            throw .unencodableFrame("the device's uplink is not a data frame")
        }
        remember(RecentUplink(xtime: reception.xtime, fCnt: transmission.fCnt), of: devEUI)
        counters.uplinksSent += 1
        if confirmed { counters.confirmedUplinksSent += 1 }
        try await write(text)
        return transmission
    }

    private func remember(_ uplink: RecentUplink, of devEUI: EUI64) {
        guard slots[devEUI] != nil else { return }
        if slots[devEUI]!.recentUplinks.count >= Self.recentUplinkLimit { slots[devEUI]!.recentUplinks.removeFirst() }
        slots[devEUI]!.recentUplinks.append(uplink)
    }

    /// Sends the bytes of an earlier transmission of `devEUI` again, as an attacker replaying a
    /// recorded frame would: the device's state does not change.
    public func replay(_ transmission: VirtualDeviceTransmission, of devEUI: EUI64) async throws(SimulatedStationError) {
        guard routerConfig != nil else { throw ending ?? .notStarted }
        guard slots[devEUI] != nil else { throw .unknownDevice(devEUI) }
        guard let text = StationMessageEncoding.dataUplink(transmission.phyPayload, reception: reception(of: transmission, from: devEUI)) else {
            throw .unencodableFrame("the transmission is not a data frame")
        }
        try await write(text)
    }

    /// The radio metadata of a frame received now.
    private func reception(of transmission: VirtualDeviceTransmission, from devEUI: EUI64) -> StationReception {
        let now = ContinuousClock.now
        let signal = options.signal(for: devEUI)
        var refTime = 0.0
        if let muxTime = routerConfig?.muxTime, let arrival = routerConfigArrival {
            let elapsed = (now - arrival).components
            refTime = muxTime + Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        }
        return StationReception(
            dataRate: transmission.dataRate, frequency: transmission.frequency, xtime: clock.nextXTime(at: now),
            rssi: signal.rssi, snr: signal.snr, rxTime: Date().timeIntervalSince1970, refTime: refTime)
    }
}
