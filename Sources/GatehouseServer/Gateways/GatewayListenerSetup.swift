import BackendInterfaces
import Foundation
import GatewayPKI
import GatewayServer
import Logging
import NIOSSL
import SwiftASN1
import X509

/// Builds the gateway listener from the configuration and the running services: its server
/// certificate (issued by Gatehouse's own CA, so a station's bundle needs one trust anchor), the
/// trust store of gateway CAs, the handshake verifier and the CUPS planner.
struct GatewayListenerSetup {
    /// Server certificates for the listener live this long and are issued afresh at each start; the
    /// key exists only in memory.
    static let serverCertificateDays = 90

    let configuration: GatehouseConfiguration
    let services: GatehouseServices
    let traffic: any GatewayTrafficHandler
    let logger: Logger

    func make() async throws -> GatewayListener {
        let pki = services.pki
        try await ensureAuthority()
        let names = Self.serverNames(publicHost: publicHost)
        let server = try await pki.issueServerCertificate(names: names, validityDays: Self.serverCertificateDays, actor: "gatehouse serve")
        let privateKey = try Certificate.PrivateKey(pemEncoded: server.privateKey.exportPEM())
        let tls = try GatewayTLSPolicy.serverConfiguration(certificateChain: server.certificateChain, privateKey: privateKey)

        let trustStore = GatewayTrustStore(authorities: try await pki.authorities())
        pki.observeAuthorityChanges { [weak trustStore] authorities in trustStore?.replace(authorities: authorities) }
        let directory = PKIGatewayDirectory(pki: pki)
        let verifier = GatewayHandshakeVerifier(trustStore: trustStore, directory: directory, revocation: pki.revocation, logger: logger)
        let listenerConfiguration = GatewayListenerConfiguration(
            bindHost: configuration.bindHost, port: configuration.gatewayPort, publicHost: publicHost,
            handshakeBurst: configuration.handshakeBurst, handshakesPerSecond: configuration.handshakesPerSecond)
        var trustSerializer = DER.Serializer()
        try trustSerializer.serialize(server.trustAnchor)
        let credentials = StationCredentialIssuer(pki: pki, serverTrustDER: trustSerializer.serializedBytes, renewalDays: configuration.renewalDays)
        let cups = CUPSUpdatePlanner(publicHost: publicHost, publicPort: nil, credentials: credentials)
        return try GatewayListener(
            configuration: listenerConfiguration, tlsConfiguration: tls, verifier: verifier, registry: services.gatewayConnections,
            revocation: pki.revocation, cups: cups, frequencyPlans: directory, traffic: traffic, logger: logger)
    }

    /// `gatehouse serve` with no CA yet creates one, as DESIGN's defaults promise, and says so.
    private func ensureAuthority() async throws {
        let authorities = try await services.pki.authorities()
        guard !authorities.contains(where: { $0.role == .issuing }) else { return }
        let created = try await services.pki.initializeAuthority(actor: "gatehouse serve")
        logger.notice(
            "created a certificate authority for gateways on first start; export and remove its root key for production with `gatehouse ca export-root-key --remove`",
            metadata: ["root": "\(created.root.id)", "issuing": "\(created.issuing.id)"])
    }

    var publicHost: String { configuration.gatewayHost ?? GatehouseServer.machineHostName() ?? "localhost" }

    /// The public host, plus the loopback names so local tools and tests reach the listener too.
    static func serverNames(publicHost: String) -> [String] {
        var names: [String] = []
        for name in [publicHost, "localhost", "127.0.0.1"] where !names.contains(name) { names.append(name) }
        return names
    }
}
