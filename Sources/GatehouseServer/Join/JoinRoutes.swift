import Hummingbird

/// The Join Server's operator API under `/api/v1`, behind the same API keys as the PKI's. Its routes
/// share one error mapping (``JoinAPIErrorMiddleware``), applied to them alone.
enum JoinRoutes {
    static func register(on api: RouterGroup<APIRequestContext>, services: GatehouseServices) {
        let group = api.group().add(middleware: JoinAPIErrorMiddleware())
        JoinDeviceRoutes(services: services).register(on: group)
        ABPDeviceRoutes(services: services).register(on: group)
        JoinProvisioningRoutes(registry: services.joinDevices).register(on: group)
        JoinMasterKeyRoutes(registry: services.joinDevices).register(on: group)
        JoinPeerRoutes(registry: services.joinDevices, pki: services.pki).register(on: group)
    }
}
