import BackendInterfaces
import Foundation
import GatewayPKI
import LoRaWAN
import Logging
import NIOCore
import NIOSSL

/// Serves one accepted station connection after its pipeline is built: waits for the handshake and
/// the first request, reads the gateway's identity from its certificate, registers the connection and
/// hands it to the CUPS exchange or the router-info / traffic session.
struct StationSessions: Sendable {
    let configuration: GatewayListenerConfiguration
    let registry: GatewayConnectionRegistry
    let revocation: RevocationState
    let cups: any CUPSUpdateService
    let frequencyPlans: any GatewayFrequencyPlans
    let traffic: any GatewayTrafficHandler
    let clock: @Sendable () -> Date
    let logger: Logger

    func serve(_ accepted: AcceptedStation) async {
        let upgrade: StationUpgrade
        do { upgrade = try await accepted.negotiated.get() } catch {
            // A refused handshake (already logged and counted by the verifier), or a peer that left.
            accepted.channel.close(promise: nil)
            return
        }
        let identity: GatewayIdentity
        do {
            guard let certificate = try await accepted.channel.nioSSL_peerCertificate().get() else { throw GatewayHandshakeRefusal.noCertificate }
            identity = try GatewayIdentity(peerCertificate: certificate)
        } catch {
            logger.warning("station connection without a readable certificate after the handshake", metadata: ["remote": "\(accepted.remoteAddress)"])
            accepted.channel.close(promise: nil)
            return
        }
        let kind: GatewayConnection.Kind
        switch upgrade {
        case .http: kind = .cups
        case .websocket(_, .routerInfo): kind = .routerInfo
        case .websocket(_, .traffic): kind = .traffic
        }
        let connection = registry.register(channel: accepted.channel, identity: identity, kind: kind, remoteAddress: accepted.remoteAddress, at: clock())
        defer { registry.unregister(connection) }
        // A revocation between the handshake and the registration would have found nothing to close.
        guard !revocation.isRevoked(serial: identity.serial) else {
            connection.close()
            return
        }
        var logger = logger
        logger[metadataKey: "gateway"] = "\(identity.eui)"
        logger[metadataKey: "remote"] = "\(accepted.remoteAddress)"
        switch upgrade {
        case .http(let http):
            await CUPSExchange(configuration: configuration, service: cups, connection: connection, clock: clock, logger: logger).serve(http)
        case .websocket(let socket, .routerInfo):
            await RouterInfoSession(configuration: configuration, connection: connection, clock: clock, logger: logger).serve(socket)
        case .websocket(let socket, .traffic(let pathEUI)):
            await TrafficSession(
                pathEUI: pathEUI, connection: connection, frequencyPlans: frequencyPlans, traffic: traffic, clock: clock, logger: logger
            ).serve(socket)
        }
    }
}
