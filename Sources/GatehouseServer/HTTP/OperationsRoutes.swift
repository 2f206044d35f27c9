public import Hummingbird
import Prometheus

/// The endpoints that operators and their tools use to watch a running server:
/// `GET /healthz` for liveness probes, `GET /version` for what is deployed, and `GET /metrics` for
/// Prometheus.
///
/// None of them needs authentication or touches a role's state, so they stay cheap enough to be
/// polled every few seconds.
public struct OperationsRoutes<Context: RequestContext>: Sendable {
    /// The body of `GET /healthz`.
    public struct Health: ResponseEncodable, Equatable {
        public var status: String
    }

    /// The body of `GET /version`.
    public struct Version: ResponseEncodable, Equatable {
        public var name: String
        public var version: String
        public var lorawan: [String]
        public var backendInterfaces: String
    }

    private let registry: PrometheusCollectorRegistry

    /// - Parameter registry: The registry `GET /metrics` exposes.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// The three routes, ready for `router.addRoutes(_:)`.
    public var routes: RouteCollection<Context> {
        let registry = registry
        return RouteCollection(context: Context.self)
            .get("healthz") { _, _ in
                Health(status: "ok")
            }
            .get("version") { _, _ in
                Version(
                    name: GatehouseVersion.name,
                    version: GatehouseVersion.current,
                    lorawan: GatehouseVersion.lorawanVersions,
                    backendInterfaces: GatehouseVersion.backendInterfacesVersion
                )
            }
            .get("metrics") { _, _ in
                Response(
                    status: .ok,
                    headers: [.contentType: GatehouseMetrics.contentType],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
                )
            }
    }
}
