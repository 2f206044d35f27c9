public import ApplicationServer
public import BackendInterfaces
public import Logging
public import Storage

/// The Application Server side of a running Gatehouse, wired to one store: the registry of applications,
/// AppSKey sessions, the webhook outbox and its dispatcher, the live event stream, the handler the
/// Network Server hands uplinks to, and the per-device downlink queue.
///
/// The server runs ``dispatcher``'s `run()` for as long as it serves and calls ``shutdown()`` after it
/// stopped; the REST routes (``ApplicationRoutes``) read and change the rest.
public struct ApplicationServices: Sendable {
    public let registry: any ApplicationRegistry
    public let sessions: any ApplicationSessionStore
    public let outbox: any WebhookOutbox
    public let stream: EventStream
    public let dispatcher: WebhookDispatcher
    /// What the Network Server delivers joins, uplinks and downlink news to.
    public let server: ApplicationServer
    public let downlinks: DeviceDownlinkQueue
    /// The dispatcher's HTTP client; ``shutdown()`` closes it.
    public let transport: HTTPWebhookTransport

    /// Wires the Application Server to `store`, with an ``HTTPWebhookTransport`` whose time limits fit
    /// the dispatcher's lease.
    ///
    /// - Parameters:
    ///   - joinService: where AppSKeys come from (`AppSKeyReq`): the Join Server in process, or over HTTP.
    ///   - keks: the KEKs that unwrap AppSKeys sent by the Join Server.
    ///   - applicationServerID: this Application Server's AS-ID, as the Join Server knows it.
    ///   - networkDownlinks: the Network Server's queue, where encrypted downlinks go.
    public static func make(
        store: GatehouseStore, joinService: any JoinService, keks: any KEKLookup, applicationServerID: ApplicationServerID,
        networkDownlinks: any ApplicationDownlinkQueue, logger: Logger
    ) -> ApplicationServices {
        // The per-event reads (the device's application, the session's AppSKey, the application a webhook
        // attempt signs for) are answered from memory.
        make(
            registry: CachingApplicationRegistry(store.applications), sessions: CachingApplicationSessionStore(store.applicationSessions),
            outbox: store.webhookOutbox, joinService: joinService, keks: keks,
            applicationServerID: applicationServerID, networkDownlinks: networkDownlinks, logger: logger)
    }

    /// The same wiring on any implementation of the Application Server's repositories.
    public static func make(
        registry: any ApplicationRegistry, sessions: any ApplicationSessionStore, outbox: any WebhookOutbox, joinService: any JoinService,
        keks: any KEKLookup, applicationServerID: ApplicationServerID, networkDownlinks: any ApplicationDownlinkQueue,
        dispatcherConfiguration: WebhookDispatcherConfiguration = .init(),
        transportConfiguration: HTTPWebhookTransportConfiguration = .init(), logger: Logger
    ) -> ApplicationServices {
        var logger = logger
        logger[metadataKey: "role"] = "as"
        let transport = HTTPWebhookTransport(configuration: transportConfiguration.fitting(dispatcherConfiguration), logger: logger)
        let stream = EventStream()
        let dispatcher = WebhookDispatcher(
            outbox: outbox, transport: transport, applications: registry, configuration: dispatcherConfiguration, logger: logger)
        let server = ApplicationServer(
            applicationServerID: applicationServerID, joinService: joinService, keks: keks, sessions: sessions, applications: registry,
            webhooks: dispatcher, events: stream, logger: logger)
        let downlinks = DeviceDownlinkQueue(
            sessions: sessions, networkServer: networkDownlinks, applications: registry, webhooks: dispatcher, events: stream, logger: logger)
        return ApplicationServices(
            registry: registry, sessions: sessions, outbox: outbox, stream: stream, dispatcher: dispatcher, server: server, downlinks: downlinks,
            transport: transport)
    }

    /// Closes the webhook client's connections. Call it after the dispatcher's `run()` returned.
    public func shutdown() async {
        await transport.shutdown()
    }
}
