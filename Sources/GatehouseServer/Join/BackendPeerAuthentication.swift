import BackendInterfaces
import JoinServer
import NIOSSL
import SwiftASN1
import X509

/// Who a Backend Interfaces client is: the TLS handshake already proved its certificate chains to our
/// CA and is valid now; this reads the peer its CN names (`ns:<NetID>` or `as:<AS-ID>`, as
/// `gatehouse js peer add` issues them) and checks the peer is still registered, so removing a peer
/// cuts it off at its next request.
struct BackendPeerAuthentication: Sendable {
    let keyring: JoinKeyring
    /// With plain session keys allowed, a peer needs no KEK to be known.
    let allowsUnregisteredPeers: Bool

    enum Refusal: Error, CustomStringConvertible {
        case noCertificate
        case notAPeerCertificate(String)
        case unregistered(BackendPeer)

        var description: String {
            switch self {
            case .noCertificate: "no client certificate"
            case .notAPeerCertificate(let subject): "the client certificate (\(subject)) names no Network or Application Server"
            case .unregistered(let peer): "\(peer) is not a registered peer of this Join Server"
            }
        }
    }

    func peer(presenting certificate: NIOSSLCertificate?) throws(Refusal) -> BackendPeer {
        guard let certificate, let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else {
            throw .noCertificate
        }
        let commonName = parsed.subject.lazy.flatMap { $0 }.first { $0.type == .RDNAttributeType.commonName }
        guard let commonName, let name = String(commonName.value), let peer = BackendPeer(name) else {
            throw .notAPeerCertificate(parsed.subject.description)
        }
        guard allowsUnregisteredPeers || keyring.kek(for: peer) != nil else { throw .unregistered(peer) }
        return peer
    }
}
