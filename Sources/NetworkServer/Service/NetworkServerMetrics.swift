import Metrics

/// What an operator watches on the Network Server: frames by outcome (accepted, and every reason a
/// frame is dropped), joins by outcome, downlinks by outcome, and overload: the uplink backlog and how
/// often a gateway's reader had to wait for room in it.
///
/// Counters of the per-frame path are made once: creating a swift-metrics counter looks up the
/// factory's registry under a lock, which is measurable at ten thousand frames a second.
struct NetworkServerMetrics: Sendable {
    private static let uplinksAccepted = Counter(label: "gatehouse_ns_uplinks_total", dimensions: [("outcome", "accepted")])
    private static let uplinksRetransmitted = Counter(label: "gatehouse_ns_uplinks_total", dimensions: [("outcome", "retransmission")])
    private static let copiesReceived = Counter(label: "gatehouse_ns_gateway_copies_total")
    private static let backlog = Gauge(label: "gatehouse_ns_uplink_backlog")
    private static let backlogWaits = Counter(label: "gatehouse_ns_uplink_backlog_waits_total")

    func gatewayCopyReceived() { Self.copiesReceived.increment() }
    func uplinkAccepted() { Self.uplinksAccepted.increment() }
    func uplinkRetransmission() { Self.uplinksRetransmitted.increment() }

    /// Frames taken in and not yet being processed (``NetworkServerConfiguration/maximumUplinkBacklog``).
    func uplinkBacklog(_ frames: Int) { Self.backlog.record(frames) }
    /// A gateway's reader found the backlog full and waits: the network is taking in more than it processes.
    func uplinkBacklogWaited() { Self.backlogWaits.increment() }

    /// Frames taken in but never processed: the server was stopped without waiting for them.
    func uplinksUnprocessed(_ frames: Int) {
        Counter(label: "gatehouse_ns_uplinks_unprocessed_total").increment(by: frames)
    }

    func uplinkDropped(_ reason: UplinkDropReason) {
        Counter(label: "gatehouse_ns_uplinks_dropped_total", dimensions: [("reason", reason.metricLabel)]).increment()
    }

    func join(_ outcome: String) {
        Counter(label: "gatehouse_ns_joins_total", dimensions: [("outcome", outcome)]).increment()
    }

    func downlink(_ outcome: String) {
        Counter(label: "gatehouse_ns_downlinks_total", dimensions: [("outcome", outcome)]).increment()
    }
}
