public import Foundation
import Hummingbird
import HummingbirdTLS
import ApplicationServer
import JoinServer
import BackendInterfaces
import GatewayPKI
import GatewayServer
import Logging
import NIOCore
import NIOSSL
public import ServiceLifecycle
import SwiftASN1
import UnixSignals

/// The `gatehouse serve` process: today the HTTPS API listener, later every role wired together.
///
/// Creating a server does the work that can fail for reasons an operator must fix (reading or
/// creating the TLS identity), so those failures surface as typed errors before anything listens.
/// Running it binds and serves until the task is cancelled or a graceful shutdown is triggered;
/// as a swift-service-lifecycle `Service` it composes with other services in a `ServiceGroup`.
///
/// ```swift
/// let server = try GatehouseServer(configuration: configuration) { endpoint in
///     print("Listening on \(endpoint.url)")
/// }
/// try await server.runUntilShutdownSignal()
/// ```
public struct GatehouseServer: Service {
    /// What the server was configured with.
    public let configuration: GatehouseConfiguration
    /// The certificate the API presents, and where it is stored.
    public let tlsIdentity: TLSIdentity
    private let tlsConfiguration: TLSConfiguration
    private let logger: Logger
    private let onListening: @Sendable (APIEndpoint) async -> Void
    private let gatewayTraffic: (any GatewayTrafficHandler)?

    /// Prepares a server: loads the operator's certificate, or loads or creates the development one.
    ///
    /// - Parameters:
    ///   - configuration: Where data lives, what to bind, which certificate to present.
    ///   - logDestination: Where log lines go; standard error unless a test captures them.
    ///   - now: The current time, for a new certificate's validity and the expiry check.
    ///   - onListening: Called once the API listener is bound, with the port actually bound (which
    ///     differs from the configured one when that is 0).
    /// - Throws: ``TLSIdentityError`` when a certificate or key cannot be read, created or used.
    public init(
        configuration: GatehouseConfiguration,
        logDestination: LogDestination = .standardError,
        now: Date = Date(),
        gatewayTraffic: (any GatewayTrafficHandler)? = nil,
        onListening: @escaping @Sendable (APIEndpoint) async -> Void = { _ in }
    ) throws(TLSIdentityError) {
        let logger = Logger(label: "gatehouse") { label in
            LineLogHandler(label: label, level: configuration.logLevel, destination: logDestination)
        }
        let identity: TLSIdentity
        switch configuration.tlsIdentity {
        case .developmentCertificate:
            identity = try DevelopmentIdentityStore(dataDirectory: configuration.dataDirectory)
                .loadOrCreate(hostName: Self.hostName(), now: now, logger: logger)
        case .pemFiles(let certificatePath, let privateKeyPath):
            identity = try TLSIdentity.load(certificatePath: certificatePath, privateKeyPath: privateKeyPath)
        }
        self.configuration = configuration
        self.tlsIdentity = identity
        self.tlsConfiguration = try APITLSPolicy.serverConfiguration(presenting: identity)
        self.logger = logger
        self.onListening = onListening
        self.gatewayTraffic = gatewayTraffic
    }

    /// Opens storage and the roles, then serves until the surrounding task is cancelled.
    ///
    /// - Throws: ``GatehouseServerError/cannotListen(host:port:reason:)`` when an address cannot be
    ///   bound; storage errors when the database cannot be opened.
    public func run() async throws {
        try await serve(untilShutdownSignal: false)
    }

    /// Serves until the process receives SIGTERM or SIGINT, then finishes open requests and returns.
    public func runUntilShutdownSignal() async throws {
        try await serve(untilShutdownSignal: true)
        logger.notice("Gatehouse stopped after a shutdown signal")
    }

    private func serve(untilShutdownSignal: Bool) async throws {
        let services = try await GatehouseServices.open(configuration, logger: logger)
        do {
            let ports = ListeningPorts()
            let api = try makeAPIApplication(services: services, ports: ports)
            let http = makePlainHTTPApplication(services: services, ports: ports)
            let gatewaySetup = GatewayListenerSetup(
                configuration: configuration, services: services, traffic: gatewayTraffic ?? services.network, logger: logger)
            let gateways = GatewayListenerService(
                listener: try await gatewaySetup.make(),
                onBound: { port in await self.announce(await ports.set(gateway: port)) })
            // After the gateway listener: that set-up creates the CA on a first start.
            let backendSetup = BackendInterfacesListenerSetup(
                configuration: configuration, services: services, publicHost: gatewaySetup.publicHost, logger: logger)
            let backend = try backendSetup.application(tls: try await backendSetup.tlsConfiguration()) { port in
                await self.announce(await ports.set(backend: port))
            }
            let keyring = JoinKeyringFollower(joinServer: services.joinServer, logger: logger)
            let trimmer = FreedMemoryReturner(connections: services.gatewayConnections)
            try await explainingBindFailures {
                if untilShutdownSignal {
                    let group = ServiceGroup(configuration: .init(
                        services: [
                            .init(service: api), .init(service: http), .init(service: gateways), .init(service: backend),
                            .init(service: RevocationFollower(pki: services.pki)), .init(service: keyring), .init(service: trimmer),
                            .init(service: WebhookDispatcherService(dispatcher: services.applications.dispatcher)),
                        ],
                        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                    try await group.run()
                } else {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { await services.pki.followRevocations() }
                        group.addTask { try await api.run() }
                        group.addTask { try await http.run() }
                        group.addTask { try await gateways.run() }
                        group.addTask { try await backend.run() }
                        group.addTask { await keyring.run() }
                        group.addTask { await trimmer.run() }
                        group.addTask { await services.applications.dispatcher.run() }
                        defer { group.cancelAll() }
                        try await group.next()
                    }
                }
            }
        } catch {
            await services.close()
            throw error
        }
        await services.close()
    }

    /// Replaces NIO's socket-level error for a failed bind with a sentence the operator can act on.
    private func explainingBindFailures(_ serve: () async throws -> Void) async throws {
        let host = configuration.bindHost
        let port = configuration.apiPort
        do {
            try await serve()
        } catch let error as IOError where [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
            throw GatehouseServerError.cannotListen(host: host, port: port, reason: String(cString: strerror(error.errnoCode)))
        } catch is SocketAddressError, is SocketAddressError.UnknownHost {
            throw GatehouseServerError.cannotListen(host: host, port: port, reason: "the host name does not resolve to an address")
        }
    }

    /// Collects the ports the listeners bound, and reports the endpoint once all are up.
    private actor ListeningPorts {
        private var api: Int?
        private var http: Int?
        private var gateway: Int?
        private var backend: Int?

        func set(api port: Int) -> (Int, Int, Int, Int)? { api = port; return all }
        func set(http port: Int) -> (Int, Int, Int, Int)? { http = port; return all }
        func set(gateway port: Int) -> (Int, Int, Int, Int)? { gateway = port; return all }
        func set(backend port: Int) -> (Int, Int, Int, Int)? { backend = port; return all }
        private var all: (Int, Int, Int, Int)? {
            guard let api, let http, let gateway, let backend else { return nil }
            return (api, http, gateway, backend)
        }
    }

    private func announce(_ ports: (Int, Int, Int, Int)?) async {
        guard let (api, http, gateway, backend) = ports else { return }
        let endpoint = APIEndpoint(
            bindHost: configuration.bindHost, port: api, certificatePath: tlsIdentity.certificatePath, httpPort: http, gatewayPort: gateway,
            backendPort: backend)
        logger.notice("HTTPS API listening", metadata: ["url": "\(endpoint.url)", "certificate": "\(endpoint.certificatePath)"])
        logger.notice("CRL served over plain HTTP", metadata: ["url": "\(endpoint.crlURL)"])
        logger.notice("gateway listener (CUPS and LNS, mutual TLS) listening", metadata: ["url": "\(endpoint.cupsURL)"])
        logger.notice("Join Server Backend Interfaces (mutual TLS) listening", metadata: ["url": "\(endpoint.backendURL)"])
        await onListening(endpoint)
    }

    private func makeAPIApplication(services: GatehouseServices, ports: ListeningPorts) throws -> some ApplicationProtocol & Service {
        return Application(
            router: APIRouter.make(metricsRegistry: GatehouseMetrics.registry, services: services),
            server: try .tls(.http1(), tlsConfiguration: tlsConfiguration),
            configuration: ApplicationConfiguration(address: .hostname(configuration.bindHost, port: configuration.apiPort), serverName: nil),
            onServerRunning: { channel in await self.announce(await ports.set(api: channel.localAddress?.port ?? 0)) },
            logger: logger
        )
    }

    private func makePlainHTTPApplication(services: GatehouseServices, ports: ListeningPorts) -> some ApplicationProtocol & Service {
        Application(
            router: APIRouter.makePlainHTTP(services: services),
            configuration: ApplicationConfiguration(address: .hostname(configuration.bindHost, port: configuration.httpPort), serverName: nil),
            onServerRunning: { channel in await self.announce(await ports.set(http: channel.localAddress?.port ?? 0)) },
            logger: logger
        )
    }

    /// The machine's host name, for the development certificate; `nil` if the system has none.
    static func machineHostName() -> String? { hostName() }

    private static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}
