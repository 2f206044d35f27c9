import BackendInterfaces
import Crypto
import JoinServer
import Logging

/// The Network and Application Servers that run inside `gatehouse serve` talk to the Join Server like
/// any peer: named `ns:<NetID>` and `as:gatehouse`, each with its own KEK, so session keys cross the
/// role boundary wrapped even in one process, and the Application Server can open the AppSKey but no
/// network key (and the other way round). The KEKs are made on first start, audited, and kept sealed
/// by the Join Server's storage.
enum InProcessPeers {
    static func ensure(_ peers: [BackendPeer], registry: JoinDeviceRegistry, logger: Logger) async throws {
        let existing = Set(try await registry.peers().map(\.peer))
        for peer in peers where !existing.contains(peer) {
            let bytes = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
            guard let kek = LabeledKEK(label: peer.description, bytes: bytes) else { continue }
            try await registry.setPeerKEK(peer, kek, actor: "gatehouse")
            logger.notice("KEK created for the in-process peer", metadata: ["peer": "\(peer)"])
        }
    }
}

/// The KEK of one in-process peer, read from the Join Server's keyring: the only key that peer can
/// open envelopes with.
struct InProcessPeerKEK: KEKLookup {
    let keyring: JoinKeyring
    let peer: BackendPeer

    func kek(labelled label: String) -> LabeledKEK? {
        guard let kek = keyring.kek(for: peer), kek.label == label else { return nil }
        return kek
    }
}
