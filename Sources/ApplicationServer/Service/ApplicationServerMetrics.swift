import Metrics

/// Counters an operator watches: uplinks by outcome (a burst of `unknown_session` means AppSKeys are
/// missing), AppSKey requests, downlinks and webhook attempts by result.
struct ApplicationServerMetrics: Sendable {
    func uplink(_ result: String) {
        Counter(label: "gatehouse_as_uplinks_total", dimensions: [("result", result)]).increment()
    }

    func appSKeyRequest(_ result: String) {
        Counter(label: "gatehouse_as_appskey_requests_total", dimensions: [("result", result)]).increment()
    }

    func downlink(_ result: String) {
        Counter(label: "gatehouse_as_downlinks_total", dimensions: [("result", result)]).increment()
    }

    func webhookAttempt(_ result: String) {
        Counter(label: "gatehouse_webhook_attempts_total", dimensions: [("result", result)]).increment()
    }

    /// Webhook deliveries queued, by path: `handed_over` in memory to the running dispatcher, or left
    /// in the `outbox` for a claim (the dispatcher was not running or had no room).
    func webhookQueued(_ path: String, count: Int) {
        Counter(label: "gatehouse_webhook_deliveries_queued_total", dimensions: [("path", path)]).increment(by: count)
    }

    /// Deliveries let go from memory because too little of their lease was left to start an attempt:
    /// a steady count means a receiver, or the server, is slower than the events come.
    func webhookLeaseLetGo(count: Int) {
        Counter(label: "gatehouse_webhook_deliveries_let_go_total").increment(by: count)
    }

    func eventNotQueued() {
        Counter(label: "gatehouse_webhook_enqueue_failures_total").increment()
    }
}
