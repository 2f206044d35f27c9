import Metrics

/// What an operator watches on the Network Server: frames by outcome (accepted, and every reason a
/// frame is dropped), joins by outcome, and downlinks by outcome.
///
/// Counters of the per-frame path are made once: creating a swift-metrics counter looks up the
/// factory's registry under a lock, which is measurable at ten thousand frames a second.
struct NetworkServerMetrics: Sendable {
    private static let uplinksAccepted = Counter(label: "gatehouse_ns_uplinks_total", dimensions: [("outcome", "accepted")])
    private static let uplinksRetransmitted = Counter(label: "gatehouse_ns_uplinks_total", dimensions: [("outcome", "retransmission")])
    private static let copiesReceived = Counter(label: "gatehouse_ns_gateway_copies_total")

    func gatewayCopyReceived() { Self.copiesReceived.increment() }
    func uplinkAccepted() { Self.uplinksAccepted.increment() }
    func uplinkRetransmission() { Self.uplinksRetransmitted.increment() }

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
