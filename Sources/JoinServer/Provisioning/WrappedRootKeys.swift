import BackendInterfaces
import LoRaWAN

/// A device's root keys wrapped (RFC 3394) under a key-encryption key, as they travel from a
/// manufacturer or another Join Server: never in clear outside a Join Server.
///
/// Each key is a Backend Interfaces `KeyEnvelope`, so the envelope names its KEK by label; both keys
/// of a device are wrapped under the same KEK. A plain (unlabelled) envelope is never accepted here:
/// root keys are worth more than session keys, and there is no configuration that should send them in
/// clear.
public enum WrappedRootKeys: Sendable, Hashable, CustomStringConvertible {
    case legacy(appKey: KeyEnvelope)
    case separate(nwkKey: KeyEnvelope, appKey: KeyEnvelope)

    /// The length of one wrapped 128-bit key: the key and RFC 3394's 8-byte integrity block.
    public static let wrappedKeyLength = 24

    /// Wraps `keys` under `kek`.
    public init(wrapping keys: RootKeys, under kek: LabeledKEK) {
        switch keys {
        case .legacy(let appKey):
            self = .legacy(appKey: KeyEnvelope(wrapping: appKey, under: kek))
        case .separate(let nwkKey, let appKey):
            self = .separate(nwkKey: KeyEnvelope(wrapping: nwkKey, under: kek), appKey: KeyEnvelope(wrapping: appKey, under: kek))
        }
    }

    /// The label of the KEK the keys are wrapped under.
    public var kekLabel: String { appKey.kekLabel }

    public var appKey: KeyEnvelope {
        switch self {
        case .legacy(let appKey), .separate(_, let appKey): appKey
        }
    }

    public var nwkKey: KeyEnvelope? {
        switch self {
        case .legacy: nil
        case .separate(let nwkKey, _): nwkKey
        }
    }

    /// Whether these keys fit a device of `version` (two keys for 1.1, one before).
    public func fit(_ version: MACVersion) -> Bool {
        (nwkKey != nil) == version.hasSeparateNetworkRootKey
    }

    /// Unwraps with the KEK each envelope names. An unknown label or a wrong KEK is an error, never a
    /// key: RFC 3394's integrity check tells a wrong KEK from the right one.
    public func unwrap(with keks: some KEKLookup) throws(RootKeyUnwrapError) -> RootKeys {
        switch self {
        case .legacy(let appKey):
            return .legacy(appKey: try Self.open(appKey, as: .appKey, with: keks))
        case .separate(let nwkKey, let appKey):
            return .separate(nwkKey: try Self.open(nwkKey, as: .nwkKey, with: keks), appKey: try Self.open(appKey, as: .appKey, with: keks))
        }
    }

    public var description: String {
        switch self {
        case .legacy: "WrappedRootKeys(AppKey under \"\(kekLabel)\": <redacted>)"
        case .separate: "WrappedRootKeys(NwkKey, AppKey under \"\(kekLabel)\": <redacted>)"
        }
    }

    private static func open<Role>(_ envelope: KeyEnvelope, as name: RootKeyName, with keks: some KEKLookup) throws(RootKeyUnwrapError) -> AES128Key<Role> {
        guard !envelope.isPlain else { throw .notWrapped(name) }
        guard envelope.aesKey.count == wrappedKeyLength else { throw .malformed(name, length: envelope.aesKey.count) }
        guard let kek = keks.kek(labelled: envelope.kekLabel) else { throw .unknownKEKLabel(envelope.kekLabel) }
        do {
            return try kek.withUnsafeBytes { (raw) throws(KeyWrap.Failure) in
                try KeyWrap.unwrap(envelope.aesKey, kek: Array(raw), as: AES128Key<Role>.self)
            }
        } catch {
            // The length is checked above and a LabeledKEK is 16 bytes, so only the integrity check is left.
            throw .integrityCheckFailed(name, label: envelope.kekLabel)
        }
    }
}

/// Why wrapped root keys could not be unwrapped. Names the key and the KEK label, never key bytes.
public enum RootKeyUnwrapError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No key-encryption key has this label here: the sender and this Join Server have not shared it.
    case unknownKEKLabel(String)
    /// RFC 3394's integrity check failed: the KEK with that label is not the one the key was wrapped
    /// under, or the wrapped key was altered.
    case integrityCheckFailed(RootKeyName, label: String)
    /// The envelope has no label, so it holds the key in clear, which root keys never are.
    case notWrapped(RootKeyName)
    /// The wrapped key is not 24 bytes.
    case malformed(RootKeyName, length: Int)

    public var description: String {
        switch self {
        case .unknownKEKLabel(let label):
            "no key-encryption key is labelled \"\(label)\""
        case .integrityCheckFailed(let name, let label):
            "the \(name) wrapped under \"\(label)\" does not unwrap: the key-encryption key with that label is not the one it was wrapped under, or the wrapped key was altered"
        case .notWrapped(let name):
            "the \(name) is not wrapped (empty KEK label); root keys are only accepted wrapped"
        case .malformed(let name, let length):
            "the wrapped \(name) is \(length) bytes; a wrapped 128-bit key is \(WrappedRootKeys.wrappedKeyLength)"
        }
    }
}
