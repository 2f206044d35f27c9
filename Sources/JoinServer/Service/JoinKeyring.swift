import BackendInterfaces
import LoRaWAN
import Synchronization

/// The Join Server's working copy of the keys it uses on every join: manufacturer master keys (to
/// derive root keys of devices that have none of their own) and the KEKs shared with each peer.
///
/// Storage holds them sealed; this copy is reloaded after every change made through this Join Server
/// and, for changes made elsewhere (the CLI beside a running server, another instance), on the
/// server's refresh interval.
public final class JoinKeyring: Sendable {
    private struct Snapshot {
        var masterKeys: [MasterKeyRecord] = []
        var peerKEKs: [BackendPeer: LabeledKEK] = [:]
    }

    private let repository: any JoinKeyRepository
    private let snapshot = Mutex(Snapshot())

    public init(repository: any JoinKeyRepository) {
        self.repository = repository
    }

    /// Reads every master key and peer KEK from storage.
    public func reload() async throws {
        let masterKeys = try await repository.masterKeys()
        let peerKEKs = try await repository.peerKEKs()
        snapshot.withLock {
            $0.masterKeys = masterKeys
            $0.peerKEKs = Dictionary(peerKEKs.map { ($0.peer, $0.kek) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// The KEK that wraps session keys for `peer`, if one is configured.
    public func kek(for peer: BackendPeer) -> LabeledKEK? {
        snapshot.withLock { $0.peerKEKs[peer] }
    }

    /// The device's own root keys, else those derived from the master key whose range holds its JoinEUI.
    func rootKeys(for device: JoinDevice) -> RootKeys? {
        if let keys = device.rootKeys { return keys }
        guard let master = snapshot.withLock({ $0.masterKeys.first { $0.joinEUIs.contains(device.joinEUI) } }) else { return nil }
        return RootKeyDerivation.rootKeys(master: master.key, joinEUI: device.joinEUI, devEUI: device.devEUI, macVersion: device.macVersion)
    }

    /// The master key whose range holds `joinEUI`, by name.
    func masterKeyName(covering joinEUI: EUI64) -> String? {
        snapshot.withLock { $0.masterKeys.first { $0.joinEUIs.contains(joinEUI) }?.name }
    }
}
