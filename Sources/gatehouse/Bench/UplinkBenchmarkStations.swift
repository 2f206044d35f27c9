import Foundation
import LoRaWAN
import StationSimulator

/// The radio side of `gatehouse bench uplinks`: one ``SimulatedStation`` per gateway, each on its own
/// mutual-TLS traffic connection with its own certificate, carrying its gateway's devices.
///
/// Uplink `k` of a step goes to station `k mod G` and, there, to device `(k / G) mod D`, so consecutive
/// uplinks leave through different connections and every device sends once per `G·D` uplinks.
struct UplinkBenchmarkStations: Sendable {
    let stations: [SimulatedStation]
    let devicesPerGateway: Int
    static let fPort: UInt8 = 10
    static let payload: [UInt8] = Array("t=21.5;h=48".utf8)

    var deviceCount: Int { stations.count * devicesPerGateway }

    /// Connects every gateway's station (`concurrency` at a time) straight to its traffic URI and
    /// puts its devices on it; throws if any station cannot connect.
    static func connect(fleet: UplinkBenchmarkFleet, port: Int, concurrency: Int) async throws -> UplinkBenchmarkStations {
        let trustPEM = fleet.trustAnchorPEM
        let perGateway = fleet.devicesPerGateway
        let stations = try await withThrowingTaskGroup(of: (Int, SimulatedStation).self) { group in
            var next = 0
            func startNext() {
                guard next < fleet.gateways.count else { return }
                let index = next
                let gateway = fleet.gateways[index]
                let devices = Array(fleet.devices[index * perGateway ..< (index + 1) * perGateway])
                next += 1
                group.addTask {
                    let credentials = try StationTLSCredentials(
                        trustRootsPEM: trustPEM, certificateChainPEM: gateway.certificatePEM, privateKeyPEM: gateway.privateKeyPEM)
                    let factory = try StationConnectionFactory(credentials: credentials)
                    let station: SimulatedStation
                    do {
                        station = try await SimulatedStation.connect(
                            traffic: LNSAddress(host: "127.0.0.1", port: port, path: "/traffic/\(gateway.eui)"), gatewayEUI: gateway.eui,
                            connections: factory)
                    } catch {
                        throw CommandLineFailure.invalidData("station \(gateway.eui) did not connect: \(error)")
                    }
                    for device in devices { try await station.add(device) }
                    return (index, station)
                }
            }
            for _ in 0..<concurrency { startNext() }
            var stations = [SimulatedStation?](repeating: nil, count: fleet.gateways.count)
            while let (index, station) = try await group.next() {
                stations[index] = station
                startNext()
            }
            return stations.compactMap { $0 }
        }
        return UplinkBenchmarkStations(stations: stations, devicesPerGateway: perGateway)
    }

    func close() async {
        await withTaskGroup(of: Void.self) { group in
            for station in stations { group.addTask { await station.close() } }
        }
    }

    func devEUI(_ device: Int) -> EUI64 { UplinkBenchmarkFleet.devEUI(device) }

    func station(of device: Int) -> SimulatedStation { stations[device / devicesPerGateway] }

    // MARK: Joins

    /// What joining every device took.
    struct JoinOutcome: Sendable {
        /// Per joined device, from its join-request written to its join-accept verified, ms.
        var latencies: [Double] = []
        var failures: [String] = []
        var seconds = 0.0
    }

    /// Joins every device, `concurrency` join-requests outstanding at once, each device's join timed
    /// from the moment its station is asked to send the join-request until the device accepted the
    /// join-accept (MIC, JoinNonce, keys derived). A device that times out tries once more.
    func joinAll(concurrency: Int, timeout: Duration) async -> JoinOutcome {
        let start = ContinuousClock.now
        var outcome = await withTaskGroup(of: Result<Double, SimulatedStationError>.self) { group in
            var next = 0
            func startNext() {
                guard next < deviceCount else { return }
                let device = next
                next += 1
                let station = station(of: device)
                let devEUI = devEUI(device)
                group.addTask {
                    var lastError = SimulatedStationError.notStarted
                    for _ in 0..<2 {
                        let begin = ContinuousClock.now
                        do throws(SimulatedStationError) {
                            _ = try await station.join(devEUI, timeout: timeout)
                            return .success(PKIBenchmark.milliseconds(.now - begin))
                        } catch {
                            lastError = error
                            guard case .joinTimedOut = error else { break }
                        }
                    }
                    return .failure(lastError)
                }
            }
            for _ in 0..<concurrency { startNext() }
            var outcome = JoinOutcome()
            while let result = await group.next() {
                switch result {
                case .success(let latency): outcome.latencies.append(latency)
                case .failure(let error): outcome.failures.append("\(error)")
                }
                startNext()
            }
            return outcome
        }
        outcome.seconds = PKIBenchmark.seconds(.now - start)
        outcome.latencies.sort()
        return outcome
    }

    // MARK: Uplinks

    /// One uplink the stations wrote: which (device and FCnt, as ``UplinkBenchmarkObserver/key``) and
    /// when its station was asked to send it.
    struct Sent: Sendable {
        let key: UInt64
        let at: ContinuousClock.Instant
    }

    struct Sending: Sendable {
        var sent: [Sent] = []
        var failures = 0
        var firstFailure: String?
        var seconds = 0.0
    }

    /// Sends uplinks for `seconds` at `rate` per second in all (0: as fast as `senders` tasks get them
    /// written). Uplink `k` is due at start + k / rate; `senders` tasks each take every n-th uplink, so a
    /// late task catches up instead of drifting, with no task or timer per frame (as `SimulationRunner`).
    /// An uplink's time is taken when its station is asked to send it: it includes the station's own
    /// queue, which is what a gateway's frame waits for too.
    func send(rate: Double, seconds: Double, senders: Int) async -> Sending {
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let total = rate > 0 ? Int(rate * seconds) : Int.max
        let interval: Duration? = rate > 0 ? .seconds(1.0 / rate) : nil
        let gatewayCount = stations.count
        let perGateway = devicesPerGateway
        var sending = await withTaskGroup(of: Sending.self) { group in
            for sender in 0..<senders {
                group.addTask {
                    var mine = Sending()
                    if rate > 0 { mine.sent.reserveCapacity(total / senders + 1) }
                    var index = sender
                    while index < total {
                        if let interval {
                            let due = start + interval * index
                            if due > .now { try? await Task.sleep(until: due) }
                        } else if ContinuousClock.now >= deadline {
                            break
                        }
                        let stationIndex = index % gatewayCount
                        let device = stationIndex * perGateway + (index / gatewayCount) % perGateway
                        let begin = ContinuousClock.now
                        do throws(SimulatedStationError) {
                            let transmission = try await stations[stationIndex].sendUplink(
                                UplinkBenchmarkFleet.devEUI(device), fPort: Self.fPort, payload: Self.payload)
                            mine.sent.append(Sent(key: UplinkBenchmarkObserver.key(device: device, fCnt: transmission.fCnt ?? 0), at: begin))
                        } catch {
                            mine.failures += 1
                            if mine.firstFailure == nil { mine.firstFailure = "\(error)" }
                        }
                        index += senders
                    }
                    return mine
                }
            }
            var all = Sending()
            for await part in group {
                all.sent += part.sent
                all.failures += part.failures
                if all.firstFailure == nil { all.firstFailure = part.firstFailure }
            }
            return all
        }
        sending.seconds = PKIBenchmark.seconds(.now - start)
        return sending
    }

    /// The stations' counters summed.
    func counters() async -> SimulatedStationCounters {
        var sum = SimulatedStationCounters()
        for station in stations {
            let counters = await station.counters
            sum.uplinksSent += counters.uplinksSent
            sum.downlinkMessagesReceived += counters.downlinkMessagesReceived
            sum.downlinksAccepted += counters.downlinksAccepted
            sum.micFailures += counters.micFailures
            sum.downlinksRefused += counters.downlinksRefused
            sum.downlinksOutsideReceiveWindows += counters.downlinksOutsideReceiveWindows
            sum.downlinksTooLate += counters.downlinksTooLate
            sum.lnsErrors += counters.lnsErrors
            sum.malformedMessages += counters.malformedMessages
            sum.joinsAccepted += counters.joinsAccepted
            sum.joinAcceptsRefused += counters.joinAcceptsRefused
            sum.joinTimeouts += counters.joinTimeouts
        }
        return sum
    }

    // MARK: Reference

    /// The in-run reference: how fast this process builds the same uplinks on one core, the device's
    /// work and the station's (FRMPayload encryption, MIC, the `updf` JSON), from copies of joined
    /// devices. The server's protocol work per uplink is its mirror image (parse, MIC, decrypt, event
    /// JSON), so its CPU per uplink in multiples of this says what everything around the frame costs.
    func referenceFramesPerSecond(seconds: Double) async -> Double {
        var devices: [VirtualDevice] = []
        for index in stride(from: 0, to: deviceCount, by: max(1, deviceCount / 64)) {
            if let device = await station(of: index).device(devEUI(index)), device.isJoined { devices.append(device) }
        }
        guard !devices.isEmpty else { return 0 }
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        var frames = 0
        var bytes = 0
        while ContinuousClock.now < deadline {
            for index in devices.indices {
                guard let transmission = try? devices[index].makeUplink(fPort: Self.fPort, payload: Self.payload) else { continue }
                let reception = StationReception(
                    dataRate: transmission.dataRate, frequency: transmission.frequency, xtime: Int64(frames), rssi: -60, snr: 9,
                    rxTime: Date().timeIntervalSince1970, refTime: 0)
                bytes &+= StationMessageEncoding.dataUplink(transmission.phyPayload, reception: reception)?.utf8.count ?? 0
                frames += 1
            }
        }
        if bytes == 0x5EED { print("") }  // keeps the work observable to the optimiser
        return Double(frames) / PKIBenchmark.seconds(.now - start)
    }
}
