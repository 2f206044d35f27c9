import Metrics
public import Prometheus

/// The process's metrics: one Prometheus registry that swift-metrics reports into.
///
/// swift-metrics allows one bootstrap per process and traps on a second. Tying the bootstrap to
/// the lazy, thread-safe initialisation of ``registry`` makes it happen exactly once, however many
/// servers a process starts (tests start many). Nothing else in Gatehouse may bootstrap
/// `MetricsSystem`.
public enum GatehouseMetrics {
    /// The registry behind `GET /metrics`; reading it also makes sure swift-metrics is bootstrapped.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let buildInfo = MetricNameDescriptor(
            namespace: "gatehouse",
            metricName: "build",
            unitName: "info",
            helpText: "Gatehouse build information; the value is always 1."
        )
        registry.makeGauge(
            descriptor: buildInfo,
            labels: [("version", GatehouseVersion.current)]
        ).set(to: 1)
        return registry
    }()

    /// The Prometheus text exposition format version that ``registry`` emits.
    public static let contentType = "text/plain; version=0.0.4"
}
