import BackendInterfaces
import Foundation
import GatewayPKI
import LoRaWAN
import Logging
import NIOCore
import NIOSSL

/// Serves one station connection past its handshake and first request: reads the gateway's identity
/// from its certificate, registers the connection and hands it to the CUPS exchange or the
/// router-info / traffic session.
struct StationSessions: Sendable {
    let configuration: GatewayListenerConfiguration
    let registry: GatewayConnectionRegistry
    let revocation: RevocationState
    let cups: any CUPSUpdateService
    let frequencyPlans: any GatewayFrequencyPlans
    let traffic: any GatewayTrafficHandler
    let clock: @Sendable () -> Date
    let logger: Logger

    func serve(_ station: NegotiatedStation) async {
        let identity: GatewayIdentity
        do {
            guard let certificate = station.peerCertificate else { throw GatewayHandshakeRefusal.noCertificate }
            identity = try GatewayIdentity(peerCertificate: certificate)
        } catch {
            logger.warning("station connection without a readable certificate after the handshake", metadata: ["remote": "\(station.remoteAddress)"])
            station.channel.close(promise: nil)
            return
        }
        let kind: GatewayConnection.Kind
        switch station.upgrade {
        case .http: kind = .cups
        case .websocket(_, .routerInfo): kind = .routerInfo
        case .websocket(_, .traffic): kind = .traffic
        }
        let connection = registry.register(channel: station.channel, identity: identity, kind: kind, remoteAddress: station.remoteAddress, at: clock())
        defer { registry.unregister(connection) }
        // A revocation between the handshake and the registration would have found nothing to close.
        guard !revocation.isRevoked(serial: identity.serial) else {
            connection.close()
            return
        }
        var logger = logger
        logger[metadataKey: "gateway"] = "\(identity.eui)"
        logger[metadataKey: "remote"] = "\(station.remoteAddress)"
        switch station.upgrade {
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
