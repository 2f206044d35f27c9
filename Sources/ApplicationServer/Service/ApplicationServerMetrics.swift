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

    func eventNotQueued() {
        Counter(label: "gatehouse_webhook_enqueue_failures_total").increment()
    }
}
