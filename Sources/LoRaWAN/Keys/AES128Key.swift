/// A 128-bit AES key with a role. The role is a phantom type, so an `AppSKey` cannot be passed where a
/// `NwkSEncKey` is wanted, and a function's signature says which key the specification uses.
///
/// Keys never print: `description`, `debugDescription` and reflection show `<redacted>`. The bytes
/// leave the value only through `withUnsafeBytes` (for cryptography) and `exportHex()` (for the few
/// places that must show a key to its owner, named so that a reviewer sees them).
public struct AES128Key<Role: KeyRole>: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The 16 bytes in order, packed into two words so the value is a plain 16-byte struct (no heap).
    @usableFromInline var storage: (UInt64, UInt64)

    /// - Returns: `nil` unless `bytes` holds exactly 16 bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        storage = (0, 0)
        withUnsafeMutableBytes(of: &storage) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
    }

    /// Parses 32 hex digits (separators allowed). The error never repeats the text, which may be a key.
    public init(parsing text: some StringProtocol) throws(FrameError) {
        guard let bytes = Hex.decode(text.trimmingSpaces, count: 16), let key = Self(bytes: bytes) else {
            throw .malformedText(field: Role.name, reason: "expected 32 hex digits")
        }
        self = key
    }

    /// Reinterprets another key's bytes in this role. Only key derivation does this, where the
    /// specification itself defines one key as the output of a cipher under another.
    @usableFromInline init<Other>(reinterpreting other: AES128Key<Other>) { storage = other.storage }

    @usableFromInline init(storage: (UInt64, UInt64)) { self.storage = storage }

    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = storage
        return try Swift.withUnsafeBytes(of: &copy) { (raw) throws(E) -> R in try body(raw) }
    }

    /// The key as 32 lower-case hex digits, for showing a key to the one who owns it (the CLI's
    /// `keys derive`, a one-time API response). Never log the result.
    public func exportHex() -> String { withUnsafeBytes { Hex.encode($0) } }

    /// The 16 bytes, for wrapping and encryption at rest. Never log the result.
    public func exportBytes() -> [UInt8] { withUnsafeBytes { Array($0) } }

    public var description: String { "\(Role.name)(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension AES128Key: Equatable {
    /// Compares in constant time, so that comparing a candidate key leaks nothing through timing.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        ((lhs.storage.0 ^ rhs.storage.0) | (lhs.storage.1 ^ rhs.storage.1)) == 0
    }
}

/// The role of a key: its name in the LoRaWAN specification.
public protocol KeyRole: Sendable {
    static var name: String { get }
}

/// Roles whose key may encrypt an FRMPayload (LoRaWAN 1.1 §4.3.3): the application session key for
/// FPort > 0, the network key for FPort 0, and the multicast application key.
public protocol FRMPayloadKeyRole: KeyRole {}
