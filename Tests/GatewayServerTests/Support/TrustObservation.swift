import GatewayServer
import Logging
import Metrics
import Synchronization

/// What the handshake reporter logged and counted, captured for assertions.
final class TrustObservation: Sendable {
    let metrics = TrustMetricsFactory()
    let log = TrustCapturedLog()

    var logger: Logger {
        let log = self.log
        var logger = Logger(label: "gatehouse.gateway.trust.test") { _ in TrustCapturedLogHandler(log: log) }
        logger.logLevel = .trace
        return logger
    }

    /// A reporter that logs and counts into this observation.
    func reporter() -> GatewayHandshakeReporter {
        GatewayHandshakeReporter(logger: logger, metricsFactory: metrics)
    }

    func refusals(_ reason: GatewayHandshakeRefusal.Reason) -> Int64 {
        metrics.value(GatewayHandshakeReporter.refusalsLabel, dimensions: [("reason", reason.rawValue)])
    }

    var admissions: Int64 { metrics.value(GatewayHandshakeReporter.admissionsLabel) }

    /// Refusals of all reasons.
    var allRefusals: Int64 {
        GatewayHandshakeRefusal.Reason.allCases.reduce(0) { $0 + refusals($1) }
    }
}

/// One captured log event.
struct TrustLogEntry: Sendable {
    var level: Logger.Level
    var message: String
    var metadata: [String: String]
}

final class TrustCapturedLog: Sendable {
    private let entries = Mutex<[TrustLogEntry]>([])

    func append(_ entry: TrustLogEntry) { entries.withLock { $0.append(entry) } }

    var all: [TrustLogEntry] { entries.withLock { $0 } }

    /// Entries whose metadata `reason` is `label`.
    func refusals(labelled label: String) -> [TrustLogEntry] {
        all.filter { $0.metadata["reason"] == label }
    }
}

struct TrustCapturedLogHandler: LogHandler {
    let log: TrustCapturedLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        log.append(TrustLogEntry(level: event.level, message: event.message.description, metadata: merged.mapValues(\.description)))
    }
}

/// A swift-metrics factory that keeps counter totals by label and dimensions; other metric kinds
/// are accepted and dropped.
final class TrustMetricsFactory: MetricsFactory {
    private let totals = Mutex<[String: Int64]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        label + "{" + dimensions.map { "\($0.0)=\($0.1)" }.sorted().joined(separator: ",") + "}"
    }

    func value(_ label: String, dimensions: [(String, String)] = []) -> Int64 {
        totals.withLock { $0[Self.key(label, dimensions)] ?? 0 }
    }

    func add(_ amount: Int64, to key: String) { totals.withLock { $0[key, default: 0] += amount } }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        TrustCounterHandler(factory: self, key: Self.key(label, dimensions))
    }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler { TrustDroppedMetric() }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { TrustDroppedMetric() }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

final class TrustCounterHandler: CounterHandler {
    let factory: TrustMetricsFactory
    let key: String
    init(factory: TrustMetricsFactory, key: String) {
        self.factory = factory
        self.key = key
    }
    func increment(by amount: Int64) { factory.add(amount, to: key) }
    func reset() {}
}

final class TrustDroppedMetric: RecorderHandler, TimerHandler {
    func record(_ value: Int64) {}
    func record(_ value: Double) {}
    func recordNanoseconds(_ duration: Int64) {}
}
