import LoRaWAN

/// A step of a simulation run, for progress output.
public enum SimulationEvent: Sendable {
    case joining(devices: Int, concurrency: Int)
    case joined(joined: Int, failed: Int, duration: Duration)
    case sendingUplinks(planned: Int, rate: Double)
    case sentUplinks(sent: Int, failed: Int, duration: Duration)
    case waitingForDownlinks(Duration)
}

/// Runs a `SimulationPlan` on a started `SimulatedStation`: puts the devices on it, joins them with
/// bounded concurrency, sends the uplinks at the planned rate, waits for downlinks, and sums up.
///
/// Uplinks are paced against a schedule (uplink k is due at start + k / rate) by a fixed number of
/// sending tasks, each taking every n-th uplink, so the rate holds without a task or a timer per frame
/// and a late sender catches up instead of drifting.
public struct SimulationRunner: Sendable {
    public let station: SimulatedStation
    public let plan: SimulationPlan

    public init(station: SimulatedStation, plan: SimulationPlan) {
        self.station = station
        self.plan = plan
    }

    public func run(onEvent: @escaping @Sendable (SimulationEvent) -> Void = { _ in }) async -> SimulationSummary {
        let start = ContinuousClock.now
        let before = await station.counters
        var summary = SimulationSummary()
        summary.devices = plan.devices.count
        var devEUIs: [EUI64] = []
        for device in plan.devices {
            do {
                try await station.add(device)
                devEUIs.append(device.devEUI)
            } catch {
                summary.joinFailures += 1
                summary.errors.append("\(error)")
            }
        }

        onEvent(.joining(devices: devEUIs.count, concurrency: max(1, plan.joinConcurrency)))
        let joinStart = ContinuousClock.now
        let (joined, joinErrors) = await joinAll(devEUIs)
        summary.joined = joined.count
        summary.joinFailures += devEUIs.count - joined.count
        summary.errors += joinErrors
        summary.joinDuration = ContinuousClock.now - joinStart
        onEvent(.joined(joined: joined.count, failed: devEUIs.count - joined.count, duration: summary.joinDuration))

        summary.uplinksPlanned = joined.count * max(0, plan.uplinksPerDevice)
        if summary.uplinksPlanned > 0 {
            onEvent(.sendingUplinks(planned: summary.uplinksPlanned, rate: plan.uplinkRate))
            let uplinkStart = ContinuousClock.now
            let sending = await sendUplinks(joined, total: summary.uplinksPlanned)
            summary.uplinksSent = sending.sent
            summary.uplinkFailures = sending.failed
            summary.stoppedAtDeadline = plan.uplinkDuration != nil && sending.sent + sending.failed < summary.uplinksPlanned
            summary.errors += sending.errors
            summary.uplinkDuration = ContinuousClock.now - uplinkStart
            onEvent(.sentUplinks(sent: sending.sent, failed: sending.failed, duration: summary.uplinkDuration))
            if plan.downlinkWait > .zero {
                onEvent(.waitingForDownlinks(plan.downlinkWait))
                await waitForDownlinks(confirmedSent: plan.confirmed ? sending.sent : 0, before: before)
            }
        }

        let counters = await station.counters
        summary.counters = counters
        summary.confirmedUplinks = counters.confirmedUplinksSent - before.confirmedUplinksSent
        summary.downlinksVerified = counters.downlinksAccepted - before.downlinksAccepted
        summary.acknowledgements = counters.acknowledgementsReceived - before.acknowledgementsReceived
        summary.micFailures = counters.micFailures - before.micFailures
        summary.downlinksRefused = counters.downlinksRefused - before.downlinksRefused
        summary.downlinksOutsideReceiveWindows = counters.downlinksOutsideReceiveWindows - before.downlinksOutsideReceiveWindows
        summary.downlinksTooLate = counters.downlinksTooLate - before.downlinksTooLate
        summary.errors += await station.problems.prefix(SimulatedStation.problemLimit)
        summary.errors = Array(summary.errors.prefix(SimulatedStation.problemLimit))
        summary.elapsed = ContinuousClock.now - start
        return summary
    }

    /// Joins every device, `joinConcurrency` at a time; returns the joined ones in plan order.
    private func joinAll(_ devEUIs: [EUI64]) async -> (joined: [EUI64], errors: [String]) {
        let station = station
        let plan = plan
        return await withTaskGroup(of: (Int, String?).self) { group in
            var next = 0
            func startNext() {
                guard next < devEUIs.count else { return }
                let index = next
                next += 1
                group.addTask {
                    var lastError = ""
                    for _ in 0..<max(1, plan.joinAttempts) {
                        do throws(SimulatedStationError) {
                            _ = try await station.join(devEUIs[index], timeout: plan.joinTimeout)
                            return (index, nil)
                        } catch {
                            lastError = "\(error)"
                            if case .joinTimedOut = error { continue }
                            break
                        }
                    }
                    return (index, lastError)
                }
            }
            for _ in 0..<max(1, plan.joinConcurrency) { startNext() }
            var succeeded = [Bool](repeating: false, count: devEUIs.count)
            var errors: [String] = []
            while let (index, error) = await group.next() {
                if let error { errors.append(error) } else { succeeded[index] = true }
                startNext()
            }
            return (devEUIs.indices.filter { succeeded[$0] }.map { devEUIs[$0] }, errors)
        }
    }

    /// Sends `total` uplinks round-robin over `devices` on the plan's schedule.
    private func sendUplinks(_ devices: [EUI64], total: Int) async -> (sent: Int, failed: Int, errors: [String]) {
        let station = station
        let plan = plan
        let senders = max(1, min(plan.uplinksInFlight, total))
        let start = ContinuousClock.now
        let interval: Duration? = plan.uplinkRate > 0 ? .seconds(1.0 / plan.uplinkRate) : nil
        let deadline = plan.uplinkDuration.map { start + $0 }
        return await withTaskGroup(of: (Int, Int, [String]).self) { group in
            for sender in 0..<senders {
                group.addTask {
                    var sent = 0
                    var failed = 0
                    var errors: [String] = []
                    for index in stride(from: sender, to: total, by: senders) {
                        if let interval {
                            let due = start + interval * index
                            if due > .now { try? await Task.sleep(until: due) }
                        }
                        if let deadline, ContinuousClock.now >= deadline { break }
                        do throws(SimulatedStationError) {
                            try await station.sendUplink(
                                devices[index % devices.count], fPort: plan.fPort, payload: plan.payload, confirmed: plan.confirmed)
                            sent += 1
                        } catch {
                            failed += 1
                            if errors.count < 10 { errors.append("\(error)") }
                            if case .connection = error { break }
                        }
                    }
                    return (sent, failed, errors)
                }
            }
            var result = (sent: 0, failed: 0, errors: [String]())
            for await (sent, failed, errors) in group {
                result.sent += sent
                result.failed += failed
                result.errors += errors
            }
            return result
        }
    }

    /// Waits `downlinkWait`, or less once every confirmed uplink is acknowledged.
    private func waitForDownlinks(confirmedSent: Int, before: SimulatedStationCounters) async {
        let deadline = ContinuousClock.now + plan.downlinkWait
        while ContinuousClock.now < deadline {
            if confirmedSent > 0 {
                let acknowledged = await station.counters.acknowledgementsReceived - before.acknowledgementsReceived
                if acknowledged >= confirmedSent { return }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
