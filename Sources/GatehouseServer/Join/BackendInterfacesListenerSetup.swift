import GatewayPKI
import GatewayServer
import Hummingbird
import JoinServer
import HummingbirdTLS
import Logging
import NIOSSL
import SwiftASN1
import X509

/// Builds the Join Server's Backend Interfaces listener: HTTPS whose server certificate comes from our
/// CA (issued at each start, key in memory) and which requires a client certificate chaining to our
/// own CA — never a vendor CA, which vouches for gateways only.
struct BackendInterfacesListenerSetup {
    static let serverCertificateDays = 90

    let configuration: GatehouseConfiguration
    let services: GatehouseServices
    let publicHost: String
    let logger: Logger

    func tlsConfiguration() async throws -> TLSConfiguration {
        let pki = services.pki
        let server = try await pki.issueServerCertificate(
            names: GatewayListenerSetup.serverNames(publicHost: publicHost), validityDays: Self.serverCertificateDays,
            actor: "gatehouse serve")
        let privateKey = try Certificate.PrivateKey(pemEncoded: server.privateKey.exportPEM())
        var tls = try GatewayTLSPolicy.serverConfiguration(certificateChain: server.certificateChain, privateKey: privateKey)
        let anchors = try await pki.authorities().filter { $0.role == .root || $0.role == .issuing }
        tls.trustRoots = .certificates(try anchors.map { try NIOSSLCertificate(bytes: $0.certificateDER, format: .der) })
        tls.applicationProtocols = ["http/1.1"]
        return tls
    }

    func application(tls: TLSConfiguration, onBound: @escaping @Sendable (Int) async -> Void) throws -> some ApplicationProtocol {
        let authentication = BackendPeerAuthentication(
            keyring: services.joinServer.keyring, allowsUnregisteredPeers: configuration.allowPlainSessionKeys)
        return Application(
            router: BackendInterfacesRoutes.router(joinServer: services.joinServer, authentication: authentication, logger: logger),
            server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: ApplicationConfiguration(address: .hostname(configuration.bindHost, port: configuration.backendPort), serverName: nil),
            onServerRunning: { channel in await onBound(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
