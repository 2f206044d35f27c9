import LoRaWAN

/// A 128-bit key-encryption key shared between the Join Server and one receiver, with the label that
/// names it in key envelopes (ChirpStack accepts only 128-bit KEKs, so Gatehouse uses no other size).
public struct LabeledKEK: Sendable, CustomStringConvertible {
    public let label: String
    private let key: AES128Key<KEKRole>

    /// - Returns: `nil` for an empty label (that means "no wrapping") or a key that is not 16 bytes.
    public init?(label: String, bytes: some Collection<UInt8>) {
        guard !label.isEmpty, let key = AES128Key<KEKRole>(bytes: bytes) else { return nil }
        self.label = label
        self.key = key
    }

    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try key.withUnsafeBytes(body)
    }

    /// The key bytes, for sealing at rest. Never log the result.
    public func exportBytes() -> [UInt8] { key.exportBytes() }

    public var description: String { "LabeledKEK(\"\(label)\", <redacted>)" }
}

/// Backend Interfaces key-encryption key (RFC 3394 wrapping of session keys between roles).
public enum KEKRole: KeyRole { public static let name = "KEK" }

/// Finds a key-encryption key by its envelope label.
public protocol KEKLookup: Sendable {
    func kek(labelled label: String) -> LabeledKEK?
}

/// A fixed set of key-encryption keys, by label.
public struct KEKRing: KEKLookup, CustomStringConvertible {
    private let byLabel: [String: LabeledKEK]

    public init(_ keks: [LabeledKEK]) {
        byLabel = Dictionary(keks.map { ($0.label, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func kek(labelled label: String) -> LabeledKEK? { byLabel[label] }
    public var labels: [String] { byLabel.keys.sorted() }
    public var description: String { "KEKRing(\(labels))" }
}
