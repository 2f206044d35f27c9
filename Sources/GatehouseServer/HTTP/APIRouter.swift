import Hummingbird
import Logging
import Prometheus
import Storage

/// The HTTPS API: its routes and the middleware every request passes through.
enum APIRouter {
    /// Builds the router. Middleware order matters and is outermost first:
    /// 1. request logging at debug level, so every request is seen, whatever happens to it;
    /// 2. Hummingbird's `MetricsMiddleware`, which counts and times requests by route, method and
    ///    status (unknown paths are all recorded as one "NotFound" route, so scanners cannot
    ///    inflate the number of time series);
    /// 3. ``APIErrorMiddleware``, inside the metrics, so that a refused request is timed and
    ///    counted with the status the client really received.
    static func make(metricsRegistry: PrometheusCollectorRegistry, services: GatehouseServices) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: APIErrorMiddleware())
        router.addRoutes(OperationsRoutes(registry: metricsRegistry).routes)
        let api = router.group("api/v1").add(middleware: BearerAuthenticationMiddleware(apiKeys: services.store.apiKeys))
        PKIRoutes(pki: services.pki).register(on: api)
        GatewayConnectionRoutes(pki: services.pki, registry: services.gatewayConnections).register(on: api)
        JoinRoutes.register(on: api, services: services)
        NetworkRoutes.register(on: api, services: services)
        ApplicationRoutes.add(to: api, services: services.applications)
        return router
    }

    /// The plain-HTTP listener: the CRL and a health check, nothing that needs confidentiality.
    static func makePlainHTTP(services: GatehouseServices) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        router.add(middleware: APIErrorMiddleware())
        router.get("healthz") { _, _ in OperationsRoutes<APIRequestContext>.Health(status: "ok") }
        CRLRoutes(pki: services.pki).register(on: router)
        return router
    }
}
