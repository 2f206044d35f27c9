public import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
public import ServiceLifecycle

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
    }

    /// Serves until the surrounding task is cancelled or a graceful shutdown is triggered.
    ///
    /// - Throws: ``GatehouseServerError/cannotListen(host:port:reason:)`` when the address cannot be bound.
    public func run() async throws {
        try await explainingBindFailures { try await makeApplication().run() }
    }

    /// Serves until the process receives SIGTERM or SIGINT, then finishes open requests and returns.
    ///
    /// - Throws: ``GatehouseServerError/cannotListen(host:port:reason:)`` when the address cannot be bound.
    public func runUntilShutdownSignal() async throws {
        // Hummingbird's default signals are exactly SIGTERM and SIGINT.
        try await explainingBindFailures { try await makeApplication().runService() }
        logger.notice("Gatehouse stopped after a shutdown signal")
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

    private func makeApplication() throws -> some ApplicationProtocol {
        let logger = logger
        let onListening = onListening
        let certificatePath = tlsIdentity.certificatePath
        let bindHost = configuration.bindHost
        return Application(
            router: APIRouter.make(metricsRegistry: GatehouseMetrics.registry),
            server: try .tls(.http1(), tlsConfiguration: tlsConfiguration),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.bindHost, port: configuration.apiPort),
                serverName: nil
            ),
            onServerRunning: { channel in
                let endpoint = APIEndpoint(
                    bindHost: bindHost,
                    port: channel.localAddress?.port ?? 0,
                    certificatePath: certificatePath
                )
                logger.notice(
                    "HTTPS API listening",
                    metadata: ["url": "\(endpoint.url)", "certificate": "\(certificatePath)"]
                )
                await onListening(endpoint)
            },
            logger: logger
        )
    }

    /// The machine's host name, for the development certificate; `nil` if the system has none.
    private static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}
