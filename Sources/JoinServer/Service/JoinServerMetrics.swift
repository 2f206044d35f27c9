import BackendInterfaces
import Metrics

/// Counters an operator watches: joins and AppSKey requests by answer, so a burst of MIC failures or
/// replayed DevNonces shows on a dashboard.
struct JoinServerMetrics: Sendable {
    func joinAnswered(_ type: BackendMessageType, _ code: BackendResultCode) {
        Counter(label: "gatehouse_join_requests_total", dimensions: [("message", type.rawValue), ("result", code.rawValue)]).increment()
    }

    func appSKeyAnswered(_ code: BackendResultCode) {
        Counter(label: "gatehouse_appskey_requests_total", dimensions: [("result", code.rawValue)]).increment()
    }
}
