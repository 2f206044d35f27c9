public import Hummingbird

/// The Application Server's operator API under `/api/v1`, behind the same API keys as the rest:
/// applications, their webhooks, secret and devices; each device's downlink queue; and the live
/// event stream. Its routes share one error mapping (``ApplicationAPIErrorMiddleware``).
public enum ApplicationRoutes {
    /// Registers every Application Server route on `api` (the authenticated `/api/v1` group).
    ///
    /// - Parameter heartbeat: how often an idle event stream sends a comment, so that proxies keep it
    ///   open and a client that went away is noticed.
    public static func add(
        to api: RouterGroup<APIRequestContext>, services: ApplicationServices, heartbeat: Duration = EventStreamRoutes.defaultHeartbeat
    ) {
        let group = api.group().add(middleware: ApplicationAPIErrorMiddleware())
        ApplicationRegistryRoutes(registry: services.registry).register(on: group)
        WebhookRoutes(registry: services.registry).register(on: group)
        ApplicationDeviceRoutes(registry: services.registry).register(on: group)
        DownlinkRoutes(downlinks: services.downlinks).register(on: group)
        EventStreamRoutes(stream: services.stream, registry: services.registry, heartbeat: heartbeat).register(on: group)
    }
}
