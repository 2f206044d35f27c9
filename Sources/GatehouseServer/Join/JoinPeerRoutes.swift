import BackendInterfaces
import Foundation
import GatewayPKI
import Hummingbird
import JoinServer
import LoRaWAN
import SwiftASN1
import X509

/// `/api/v1/join/peers`: the Network and Application Servers the Join Server talks to over the Backend
/// Interfaces, each with the KEK that wraps the session keys it receives, and the client certificate
/// it proves itself with. Both secrets are shown once, when made, and never again.
struct JoinPeerRoutes {
    let registry: JoinDeviceRegistry
    let pki: GatewayPKIService

    func register(on group: RouterGroup<APIRequestContext>) {
        group.post("join/peers") { request, context in
            let body = try await JoinRequestBody.decode(AddPeerRequest.self, from: request)
            let peer = try body.backendPeer()
            let (kek, generated) = try body.labeledKEK(for: peer)
            try await registry.setPeerKEK(peer, kek, actor: context.actor)
            let response = AddedPeerResponse(
                peer: peer.description, kekLabel: kek.label, kek: generated.map { Hex.encode($0) },
                notice: generated == nil
                    ? "The KEK you gave is stored; it is never shown."
                    : "This KEK is shown once and never again: configure it, with its label, on \(peer) now.")
            return try JoinReply.json(.created, response, context, headers: JoinReply.noStore)
        }
        group.get("join/peers") { _, _ in
            PeerListResponse(
                peers: try await registry.peers().map { PeerResponse(peer: $0.peer.description, kekLabel: $0.kekLabel) }.sorted { $0.peer < $1.peer })
        }
        group.delete("join/peers/:peer") { _, context in
            try await registry.removePeerKEK(try peer(context), actor: context.actor)
            return Response(status: .noContent)
        }
        group.post("join/peers/:peer/certificate") { request, context in
            let peer = try peer(context)
            let body = try await JoinRequestBody.decode(IssuePeerCertificateRequest.self, from: request)
            // Only a registered peer: the listener refuses every other one, so its certificate would be useless.
            guard try await registry.peers().contains(where: { $0.peer == peer }) else { throw JoinRegistryError.noSuchPeer(peer) }
            let credentials = try await pki.issueBackendClientCertificate(
                commonName: peer.description, validityDays: body.validityDays ?? IssuePeerCertificateRequest.defaultValidityDays,
                actor: context.actor)
            return try JoinReply.json(.created, try PeerCertificateResponse(peer: peer, credentials), context, headers: JoinReply.noStore)
        }
    }

    private func peer(_ context: APIRequestContext) throws -> BackendPeer {
        try JoinFields.peer(try JoinFields.pathParameter(context, "peer"), "peer")
    }
}

extension PeerCertificateResponse {
    init(peer: BackendPeer, _ credentials: ServerCredentials) throws {
        guard let leaf = credentials.certificateChain.first else { throw APIError.internalError }
        self.init(
            peer: peer.description, serial: CertificateEncoding.serialHex(leaf.serialNumber), notAfter: leaf.notValidAfter,
            certificatePEM: try leaf.serializeAsPEM().pemString + "\n",
            chainPEM: try credentials.certificateChain.dropFirst().map { try $0.serializeAsPEM().pemString + "\n" }.joined(),
            trustAnchorPEM: try credentials.trustAnchor.serializeAsPEM().pemString + "\n",
            privateKeyPEM: credentials.privateKey.exportPEM(),
            notice: "This private key is shown once and is not stored: install it on \(peer) now.")
    }
}
