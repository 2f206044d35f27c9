import Foundation
import GatehouseServer
import StationSimulator

/// `gatehouse bench uplinks`: the whole uplink path end to end on loopback, against `gatehouse serve`
/// running as a child process (so its CPU time is its own, read from `/proc/<pid>/stat`).
///
/// In a temporary data directory it provisions the CA, G gateways with certificates, an application
/// with one webhook to a ``LocalWebhookReceiver`` in this process, D devices per gateway and an API
/// key (``UplinkBenchmarkFleet``); starts the server; follows `GET /api/v1/events`; connects one
/// simulated LoRa Basics Station per gateway over mutual TLS; and joins every device, timing each join
/// from its join-request to the join-accept its device verified. Then, for each offered rate, it sends
/// uplinks for a fixed time spread over all devices and gateways and times each one from its station
/// writing the `updf` to (a) the signed webhook POST reaching the receiver and (b) the event arriving
/// on the stream, matched by `dev_eui` and `f_cnt`; a step ends when every event has arrived or none
/// has for a while. Per step: the rate achieved on each path, p50/p99 latency, uplinks lost, and the
/// server's and this process's CPU per 1,000 uplinks.
///
/// The in-run reference is the simulator building the same frames on one core (device encryption
/// and MIC, the `updf` JSON): the server's CPU per uplink is printed in multiples of it.
struct UplinkBenchmark {
    let gateways: Int
    let devicesPerGateway: Int
    /// Offered uplinks per second, one step each; 0 is unpaced.
    let rates: [Double]
    let seconds: Double
    let joinConcurrency: Int
    let senders: Int
    let deduplicationWindow: Duration
    /// After a step's last uplink, how long to wait at most for its events.
    var drainLimit: Duration = .seconds(60)
    /// Rate of the warm-up step (one uplink per device); 0: none.
    var warmUpRate: Double = 1000
    /// Without it the application has no webhook: the stream path alone.
    var withWebhook = true
    var keepDirectory = false
    /// Station connections being opened at once.
    static let connectConcurrency = 100
    /// A step's events are given up on when none has arrived for this long.
    static let drainSilence: Duration = .seconds(10)

    func run() async throws {
        try ConnectionBenchmark.raiseFileDescriptorLimit(toAtLeast: gateways + 1024)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { if !keepDirectory { try? FileManager.default.removeItem(atPath: directory) } }
        let begin = ContinuousClock.now
        let report: @Sendable (String) -> Void = { line in
            let elapsed = PKIBenchmark.seconds(.now - begin)
            FileHandle.standardOutput.write(Data((String(format: "[%6.1f s] ", elapsed) + line + "\n").utf8))
        }
        print("Gatehouse uplink benchmark (\(CoreBenchmark.buildMode) build, \(ProcessInfo.processInfo.activeProcessorCount) cores): "
              + "\(gateways) gateways x \(devicesPerGateway) devices, rates \(rates.map(UplinkStepResult.rateName).joined(separator: ", ")) "
              + "for \(seconds) s each, SQLite in \(directory)")
        if !CoreBenchmark.isRelease { print("warning: debug build; run `swift build -c release` and .build/release/gatehouse for real figures") }

        let observer = UplinkBenchmarkObserver()
        let receiver = LocalWebhookReceiver()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let (urls, listening) = AsyncStream<URL>.makeStream()
            group.addTask { try await receiver.run { url in listening.yield(url) } }
            group.addTask {
                for await delivery in receiver.deliveries {
                    observer.record(.webhook, type: delivery.eventType, json: delivery.body, at: delivery.receivedAt)
                }
            }
            defer { group.cancelAll() }
            guard let webhookURL = await urls.first(where: { _ in true }) else { throw CommandLineFailure.invalidData("the webhook receiver did not start") }

            let fleet = try await UplinkBenchmarkFleet.make(
                gatewayCount: gateways, devicesPerGateway: devicesPerGateway, webhook: withWebhook ? webhookURL : nil, dataDirectory: directory,
                report: report)
            receiver.use(secret: fleet.webhookSecret)
            let server = try await ConnectionBenchmarkServer.start(
                dataDirectory: directory, logLevel: "warning", command: ["bench", "uplink-server"],
                extraArguments: ["--deduplication-window-ms", "\(Int(PKIBenchmark.milliseconds(deduplicationWindow).rounded()))"])
            defer { server.stop() }
            report("gatehouse serve (pid \(server.pid)) on 127.0.0.1: API \(server.apiPort), gateways \(server.gatewayPort); webhook receiver \(webhookURL.absoluteString)")

            try await followEvents(server: server, fleet: fleet, observer: observer, group: &group)
            report("following GET /api/v1/events")

            let connectStart = ContinuousClock.now
            let stations = try await UplinkBenchmarkStations.connect(fleet: fleet, port: server.gatewayPort, concurrency: Self.connectConcurrency)
            report(String(format: "%d stations connected over mutual TLS in %.1f s", stations.stations.count, PKIBenchmark.seconds(.now - connectStart)))

            var result = UplinkBenchmarkReport()
            result.gateways = gateways
            result.devices = stations.deviceCount
            result.deduplicationWindowMilliseconds = PKIBenchmark.milliseconds(deduplicationWindow)
            result.withWebhook = withWebhook
            do {
                try await measure(stations: stations, server: server, observer: observer, into: &result, report: report)
            } catch {
                await stations.close()
                throw error
            }
            await stations.close()
            result.print()
            if result.joins.latencies.isEmpty || result.steps.allSatisfy({ $0.webhook.delivered == 0 && $0.stream.delivered == 0 }) {
                throw CommandLineFailure.invalidData("the benchmark did not get through; server log:\n\(server.logTail())")
            }
        }
    }

    /// Joins, the reference, then each rate in turn.
    private func measure(
        stations: UplinkBenchmarkStations, server: ConnectionBenchmarkServer, observer: UplinkBenchmarkObserver,
        into result: inout UplinkBenchmarkReport, report: @Sendable (String) -> Void
    ) async throws {
        report("joining \(stations.deviceCount) devices, \(joinConcurrency) join-requests outstanding at once")
        let joinStart = ContinuousClock.now
        let joinCPU = try server.cpuSeconds()
        result.joins = await stations.joinAll(concurrency: joinConcurrency, timeout: .seconds(30))
        report(String(format: "%d joined in %.1f s (%.0f/s), %d failed; server CPU %.1f ms per join", result.joins.latencies.count,
                      result.joins.seconds, result.joinRate, result.joins.failures.count,
                      (try server.cpuSeconds() - joinCPU) * 1000 / Double(max(1, result.joins.latencies.count))))
        // Let the join events reach the webhook before uplinks compete with them.
        let joined = result.joins.latencies.count
        let deadline = ContinuousClock.now + .seconds(120)
        let joinEvents = { withWebhook ? observer.joins.webhook : observer.joins.stream }
        while joinEvents() < joined, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if joinEvents() >= joined { result.joinEventsSeconds = PKIBenchmark.seconds(.now - joinStart) }
        report("join events: \(observer.joins.webhook) at the webhook, \(observer.joins.stream) on the stream")
        _ = observer.take()

        result.referenceRate = await stations.referenceFramesPerSecond(seconds: 1)
        report(String(format: "reference: the simulator builds %.0f uplinks/s on one core", result.referenceRate))

        // The first uplink of each device finds every cache cold (the Network Server's sessions by
        // DevAddr, the Application Server's sessions and applications): one uplink per device first, at
        // the warm-up rate, reported on its own row.
        if warmUpRate > 0 {
            let warmUpSeconds = Double(stations.deviceCount) / warmUpRate
            report(String(format: "warm-up: one uplink per device at %@/s (%.1f s)", UplinkStepResult.rateName(warmUpRate), warmUpSeconds))
            var step = try await self.step(rate: warmUpRate, seconds: warmUpSeconds, stations: stations, server: server, observer: observer)
            step.isWarmUp = true
            result.steps.append(step)
        }
        for (index, rate) in rates.enumerated() {
            if index > 0 || warmUpRate > 0 {
                // A step the server could not keep up with leaves webhooks queued (they are durable): let
                // them go out first, so the next step is measured on its own.
                let quiet = try await settle(observer: observer)
                report(String(format: "the previous step's events settled after %.1f s", quiet))
            }
            report("sending uplinks at \(UplinkStepResult.rateName(rate))/s for \(seconds) s")
            let step = try await self.step(rate: rate, seconds: seconds, stations: stations, server: server, observer: observer)
            report(String(format: "  sent %d (%.0f/s); webhook %d (p50 %.1f ms, p99 %.1f ms), stream %d (p50 %.1f ms, p99 %.1f ms); server CPU %.0f ms per 1,000",
                          step.sent, step.sentRate, step.webhook.delivered, step.webhook.p50, step.webhook.p99, step.stream.delivered,
                          step.stream.p50, step.stream.p99, step.serverCPUPerThousand))
            result.steps.append(step)
            guard server.process.isRunning else {
                throw CommandLineFailure.invalidData("gatehouse serve exited (status \(server.process.terminationStatus)) during the step; its log:\n\(server.logTail())")
            }
        }
        let counters = await stations.counters()
        report("stations: \(counters.uplinksSent) uplinks sent, \(counters.downlinkMessagesReceived) dnmsg received, "
               + "\(counters.downlinksAccepted) downlinks accepted, \(counters.downlinksTooLate) too late for RX1/RX2, "
               + "\(counters.micFailures) MIC failures, \(counters.lnsErrors) LNS errors")
    }

    /// Waits until no uplink event has arrived on either path for a few seconds (at most twice the
    /// drain limit); returns how long that took.
    private func settle(observer: UplinkBenchmarkObserver) async throws -> Double {
        let start = ContinuousClock.now
        var last = observer.uplinks
        var lastChange = ContinuousClock.now
        while ContinuousClock.now - lastChange < .seconds(3), ContinuousClock.now - start < drainLimit * 2 {
            try await Task.sleep(for: .milliseconds(100))
            let now = observer.uplinks
            if now != last { last = now; lastChange = .now }
        }
        _ = observer.take()
        return PKIBenchmark.seconds(.now - start)
    }

    /// One offered rate: send, wait for the events, match them.
    private func step(
        rate: Double, seconds: Double, stations: UplinkBenchmarkStations, server: ConnectionBenchmarkServer, observer: UplinkBenchmarkObserver
    ) async throws -> UplinkStepResult {
        _ = observer.take()
        let before = observer.uplinks
        let serverCPU = try server.cpuSeconds()
        let clientCPU = ProcessCPUTime.current()
        let machineCPU = ProcessCPUTime.machineBusySeconds()
        let start = ContinuousClock.now
        let sending = await stations.send(rate: rate, seconds: seconds, senders: senders)
        let sentAll = ContinuousClock.now

        // Wait until both paths delivered every uplink (less what the stream said it dropped), or went quiet.
        var lastCounts = observer.uplinks
        var lastProgress = ContinuousClock.now
        while ContinuousClock.now - lastProgress < Self.drainSilence, ContinuousClock.now - sentAll < drainLimit {
            let now = observer.uplinks
            let dropped = observer.streamDropped
            let webhookDone = !withWebhook || now.webhook - before.webhook >= sending.sent.count
            if webhookDone && now.stream - before.stream + dropped >= sending.sent.count { break }
            if now != lastCounts { lastCounts = now; lastProgress = .now }
            try await Task.sleep(for: .milliseconds(20))
        }
        var step = UplinkStepResult(offered: rate)
        step.drainSeconds = PKIBenchmark.seconds(.now - sentAll)
        step.serverCPU = try server.cpuSeconds() - serverCPU
        step.clientCPU = ProcessCPUTime.current() - clientCPU
        step.machineCPU = ProcessCPUTime.machineBusySeconds() - machineCPU
        step.seconds = PKIBenchmark.seconds(.now - start)
        let collected = observer.take()

        var sent: [UInt64: ContinuousClock.Instant] = [:]
        sent.reserveCapacity(sending.sent.count)
        for uplink in sending.sent { sent[uplink.key] = uplink.at }
        step.sent = sending.sent.count
        step.sendSeconds = sending.seconds
        step.sendFailures = sending.failures
        step.firstSendFailure = sending.firstFailure
        step.webhook = UplinkStepResult.path(collected.webhook, sent: sent, start: start)
        step.stream = UplinkStepResult.path(collected.stream, sent: sent, start: start)
        step.streamDropped = collected.streamDropped
        step.errorEvents = collected.errors
        step.replays = collected.replays
        step.firstError = collected.firstError
        return step
    }

    /// Opens the live stream of all events with the fleet's API key and records what it delivers.
    private func followEvents(
        server: ConnectionBenchmarkServer, fleet: UplinkBenchmarkFleet, observer: UplinkBenchmarkObserver,
        group: inout ThrowingTaskGroup<Void, any Error>
    ) async throws {
        let api = try DemoAPIClient(port: server.apiPort, apiKey: fleet.apiKey, certificatePath: server.dataDirectory + "/tls/server.crt")
        let (opened, open) = AsyncStream<Result<Void, DemoFailure>>.makeStream()
        group.addTask {
            do {
                try await api.followEvents({ type, json in observer.record(.stream, type: type, json: json.utf8, at: .now) },
                                           connected: { open.yield(.success(())) })
                open.yield(.failure(DemoFailure("the event stream ended")))
            } catch {
                open.yield(.failure(DemoFailure("the event stream failed: \(error)")))
            }
        }
        guard let outcome = await opened.first(where: { _ in true }) else { throw CommandLineFailure.invalidData("the event stream did not open") }
        do { try outcome.get() } catch { throw CommandLineFailure.invalidData(error.description) }
    }
}
