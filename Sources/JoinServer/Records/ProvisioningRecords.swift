import BackendInterfaces
import Foundation
import LoRaWAN

/// A manufacturer's master key for a range of JoinEUIs: every device whose JoinEUI falls in the range
/// and that has no root keys of its own gets keys derived from it (see `RootKeyDerivation`).
public struct MasterKeyRecord: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var joinEUIs: ClosedRange<EUI64>
    public var key: MasterKey
    public var createdAt: Date

    public init(name: String, joinEUIs: ClosedRange<EUI64>, key: MasterKey, createdAt: Date) {
        self.name = name
        self.joinEUIs = joinEUIs
        self.key = key
        self.createdAt = createdAt
    }

    public var description: String { "MasterKeyRecord(\(name), \(joinEUIs.lowerBound)...\(joinEUIs.upperBound), <redacted>)" }
}

/// A manufacturer master key (AES-128, the root of many devices' root keys).
public enum MasterKeyRole: KeyRole { public static let name = "MasterKey" }
public typealias MasterKey = AES128Key<MasterKeyRole>

/// The key-encryption key the Join Server wraps session keys under for one peer.
public struct PeerKEKRecord: Sendable, CustomStringConvertible {
    public var peer: BackendPeer
    public var kek: LabeledKEK
    public var createdAt: Date

    public init(peer: BackendPeer, kek: LabeledKEK, createdAt: Date) {
        self.peer = peer
        self.kek = kek
        self.createdAt = createdAt
    }

    public var description: String { "PeerKEKRecord(\(peer), label: \(kek.label), <redacted>)" }
}
