import LoRaWAN

/// `KeyEnvelope {KEKLabel, AESKey}` (Backend Interfaces 1.0 §6.3.1): a session key as it travels
/// between roles. With a label, `aesKey` is the 24-byte RFC 3394 wrap of the key under the
/// key-encryption key the label names; with an empty label it is the key itself, which Gatehouse sends
/// only when configured to and then logs a warning.
///
/// The wrapped bytes never print: a plain envelope holds a key.
public struct KeyEnvelope: Hashable, Sendable, CustomStringConvertible {
    public var kekLabel: String
    public var aesKey: [UInt8]

    public init(kekLabel: String, aesKey: [UInt8]) {
        self.kekLabel = kekLabel
        self.aesKey = aesKey
    }

    /// Wraps `key` under `kek`, labelled with `kek`'s label.
    public init<Role>(wrapping key: AES128Key<Role>, under kek: LabeledKEK) {
        kekLabel = kek.label
        // A 16-byte KEK and a 16-byte key are always valid RFC 3394 input.
        aesKey = kek.withUnsafeBytes { (try? KeyWrap.wrap(key, kek: Array($0))) ?? [] }
    }

    /// A key sent in clear (empty label). Only when the receiver's configuration asks for it.
    public init<Role>(plain key: AES128Key<Role>) {
        kekLabel = ""
        aesKey = key.exportBytes()
    }

    public var isPlain: Bool { kekLabel.isEmpty }

    /// Recovers the key in the role the receiver expects, with the KEK whose label the envelope names.
    public func open<Role>(as role: AES128Key<Role>.Type, with keks: some KEKLookup) throws(KeyEnvelopeError) -> AES128Key<Role> {
        if isPlain {
            guard let key = AES128Key<Role>(bytes: aesKey) else { throw .malformed("a plain \(Role.name) is 16 bytes, got \(aesKey.count)") }
            return key
        }
        guard let kek = keks.kek(labelled: kekLabel) else { throw .unknownKEKLabel(kekLabel) }
        do {
            return try kek.withUnsafeBytes { (raw) throws(KeyWrap.Failure) in try KeyWrap.unwrap(aesKey, kek: Array(raw), as: role) }
        } catch {
            throw .unwrapFailed(label: kekLabel, error.description)
        }
    }

    public var description: String { "KeyEnvelope(KEKLabel: \"\(kekLabel)\", AESKey: <redacted>)" }
}

/// Why an envelope could not be opened. Never carries key bytes.
public enum KeyEnvelopeError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownKEKLabel(String)
    case unwrapFailed(label: String, String)
    case malformed(String)

    public var description: String {
        switch self {
        case .unknownKEKLabel(let label): "no key-encryption key is labelled \"\(label)\""
        case .unwrapFailed(let label, let reason): "the key wrapped under \"\(label)\" does not unwrap: \(reason)"
        case .malformed(let reason): "malformed key envelope: \(reason)"
        }
    }
}
