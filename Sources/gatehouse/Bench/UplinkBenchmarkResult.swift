import Foundation

/// What one step of `gatehouse bench uplinks` measured: uplinks offered at one rate, and how they
/// came out at the webhook receiver and on the event stream.
struct UplinkStepResult: Sendable {
    /// How one path (webhook or stream) delivered the step's uplinks.
    struct Path: Sendable {
        /// Uplinks of this step that arrived (each counted once).
        var delivered = 0
        /// Arrivals that matched no uplink of this step (a previous step's stragglers, duplicates).
        var unmatched = 0
        /// From the step's first uplink to the last arrival.
        var seconds = 0.0
        /// Latency percentiles, ms.
        var p50 = 0.0
        var p99 = 0.0
        var max = 0.0

        var rate: Double { seconds > 0 ? Double(delivered) / seconds : 0 }
    }

    /// Offered uplinks per second; 0: as fast as the stations write.
    var offered: Double
    /// The warm-up: the first uplink of every device, with cold caches.
    var isWarmUp = false
    var sent = 0
    var sendSeconds = 0.0
    var sendFailures = 0
    var firstSendFailure: String?
    var webhook = Path()
    var stream = Path()
    /// Events the stream dropped for the benchmark's reader (`lagged`).
    var streamDropped = 0
    var errorEvents = 0
    /// Error events that were uplinks the Network Server dropped as replays.
    var replays = 0
    var firstError: String?
    /// CPU seconds from the step's start until its last events arrived.
    var serverCPU = 0.0
    var clientCPU = 0.0
    /// CPU seconds the whole machine was busy meanwhile, and the step's length (sending and draining).
    var machineCPU = 0.0
    var seconds = 0.0
    /// How long after the last uplink was sent the benchmark waited for events.
    var drainSeconds = 0.0

    var sentRate: Double { sendSeconds > 0 ? Double(sent) / sendSeconds : 0 }
    /// Server CPU milliseconds per 1,000 uplinks sent.
    var serverCPUPerThousand: Double { sent > 0 ? serverCPU * 1000 / Double(sent) * 1000 : 0 }
    var clientCPUPerThousand: Double { sent > 0 ? clientCPU * 1000 / Double(sent) * 1000 : 0 }

    /// Matches each arrival with the uplink it reports; the latency is arrival minus the uplink's time.
    static func path(
        _ arrivals: [UplinkBenchmarkObserver.Arrival], sent: [UInt64: ContinuousClock.Instant], start: ContinuousClock.Instant
    ) -> Path {
        var path = Path()
        var latencies: [Double] = []
        latencies.reserveCapacity(arrivals.count)
        var seen = Set<UInt64>(minimumCapacity: arrivals.count)
        var last = start
        for arrival in arrivals {
            guard let sentAt = sent[arrival.key], seen.insert(arrival.key).inserted else {
                path.unmatched += 1
                continue
            }
            latencies.append(PKIBenchmark.milliseconds(arrival.at - sentAt))
            if arrival.at > last { last = arrival.at }
        }
        latencies.sort()
        path.delivered = latencies.count
        path.seconds = PKIBenchmark.seconds(last - start)
        if !latencies.isEmpty {
            path.p50 = latencies[latencies.count / 2]
            path.p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
            path.max = latencies[latencies.count - 1]
        }
        return path
    }

    static func rateName(_ rate: Double) -> String { rate > 0 ? CoreBenchmark.grouped(rate) : "max" }
}

/// The report of `gatehouse bench uplinks`.
struct UplinkBenchmarkReport {
    var gateways = 0
    var devices = 0
    var deduplicationWindowMilliseconds = 0.0
    var withWebhook = true
    var joins = UplinkBenchmarkStations.JoinOutcome()
    /// Seconds from the first join-request until every join event had reached the webhook.
    var joinEventsSeconds: Double?
    var steps: [UplinkStepResult] = []
    /// Frames per second the simulator builds on one core (the in-run reference).
    var referenceRate = 0.0

    var joinRate: Double { joins.seconds > 0 ? Double(joins.latencies.count) / joins.seconds : 0 }

    /// Reference CPU milliseconds per 1,000 frames.
    var referencePerThousand: Double { referenceRate > 0 ? 1e6 / referenceRate : 0 }

    func print() {
        let latencies = joins.latencies
        let p50 = latencies.isEmpty ? 0 : latencies[latencies.count / 2]
        let p99 = latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        Swift.print("")
        Swift.print(String(format: "joins end to end (join-request written to join-accept verified by the device): %d of %d in %.1f s: %.0f joins/s, p50 %.1f ms, p99 %.1f ms",
                           latencies.count, devices, joins.seconds, joinRate, p50, p99))
        if let joinEventsSeconds {
            Swift.print(String(format: "  every join event at the \(withWebhook ? "webhook" : "stream (no webhook)") %.1f s after the first join-request", joinEventsSeconds))
        }
        if let first = joins.failures.first { Swift.print("  \(joins.failures.count) joins failed; the first: \(first)") }
        Swift.print(String(format: "reference: the simulator builds %.0f uplinks/s on one core (device encryption and MIC, updf JSON): %.1f CPU ms per 1,000",
                           referenceRate, referencePerThousand))
        Swift.print("")
        Swift.print(String(format: "uplinks, %d gateways x %d devices; latency from the station writing updf, including the server's %.0f ms deduplication window",
                           gateways, devices / max(gateways, 1), deduplicationWindowMilliseconds))
        Swift.print("offered/s    sent/s | webhook/s  p50 ms  p99 ms  miss | stream/s  p50 ms  p99 ms  miss | server CPU ms/1000 (x ref) | client CPU ms/1000")
        for step in steps {
            Swift.print(
                ((step.isWarmUp ? "*" : "") + UplinkStepResult.rateName(step.offered)).leftPadded(9) + CoreBenchmark.grouped(step.sentRate).leftPadded(10) + " |"
                    + CoreBenchmark.grouped(step.webhook.rate).leftPadded(10) + String(format: "%8.1f%8.1f", step.webhook.p50, step.webhook.p99)
                    + "\(step.sent - step.webhook.delivered)".leftPadded(6) + " |"
                    + CoreBenchmark.grouped(step.stream.rate).leftPadded(9) + String(format: "%8.1f%8.1f", step.stream.p50, step.stream.p99)
                    + "\(step.sent - step.stream.delivered)".leftPadded(6) + " |"
                    + String(format: "%13.0f (%5.1f)", step.serverCPUPerThousand, step.serverCPUPerThousand / max(referencePerThousand, 1e-9))
                    + " |" + String(format: "%19.0f", step.clientCPUPerThousand))
        }
        if steps.contains(where: \.isWarmUp) { Swift.print("(*: warm-up, the first uplink of each device: every cache cold)") }
        Swift.print("(miss: uplinks whose event had not arrived when the step ended; webhooks are durable, so late rather than lost unless dropped as replays)")
        for step in steps {
            var notes: [String] = []
            if step.sendFailures > 0 { notes.append("\(step.sendFailures) uplinks not sent (\(step.firstSendFailure ?? ""))") }
            if step.streamDropped > 0 { notes.append("the stream dropped \(step.streamDropped) events for this slow reader (lagged)") }
            if step.errorEvents > 0 {
                notes.append("\(step.errorEvents) error events (\(step.replays) uplinks dropped as replays), the first: \(step.firstError ?? "")")
            }
            if step.webhook.unmatched + step.stream.unmatched > 0 {
                notes.append("\(step.webhook.unmatched + step.stream.unmatched) arrivals matched no uplink of the step")
            }
            notes.append(String(format: "%d sent in %.1f s, events drained %.1f s after the last; max latency webhook %.0f ms, stream %.0f ms",
                                step.sent, step.sendSeconds, step.drainSeconds, step.webhook.max, step.stream.max))
            if step.seconds > 0 {
                notes.append(String(format: "cores busy: server %.2f, benchmark %.2f, other processes %.2f (of %d)", step.serverCPU / step.seconds,
                                    step.clientCPU / step.seconds, max(0, step.machineCPU - step.serverCPU - step.clientCPU) / step.seconds,
                                    ProcessInfo.processInfo.activeProcessorCount))
            }
            Swift.print("  \(step.isWarmUp ? "warm-up " : "")\(UplinkStepResult.rateName(step.offered))/s: " + notes.joined(separator: "; "))
        }

        if !withWebhook { Swift.print("(run --without-webhook: the application has no webhook; only the stream columns mean anything)") }
        Swift.print("")
        let measured = steps.filter { !$0.isWarmUp }
        let best = measured.map { withWebhook ? min($0.webhook.rate, $0.stream.rate) : $0.stream.rate }.max() ?? 0
        Swift.print("target 10,000 uplinks/s end to end (webhook and stream): " + (best >= 10_000 ? "met" : "NOT met") + String(format: " (%.0f/s at best)", best))
        Swift.print("target 1,000 joins/s end to end: " + (joinRate >= 1000 ? "met" : "NOT met") + String(format: " (%.0f/s)", joinRate))
        if let at5000 = measured.first(where: { $0.offered == 5000 }) {
            let worst = withWebhook ? max(at5000.webhook.p99, at5000.stream.p99) : at5000.stream.p99
            let delivered = withWebhook ? at5000.webhook.delivered : at5000.stream.delivered
            Swift.print("target p99 under 20 ms at 5,000 uplinks/s: " + (worst < 20 && at5000.sent == delivered ? "met" : "NOT met")
                        + String(format: " (p99 %.1f ms, of which %.0f ms is the deduplication window)", worst, deduplicationWindowMilliseconds))
        }
    }
}
