/// A private key as PKCS #8 PEM text (`-----BEGIN PRIVATE KEY-----`, RFC 5958 / RFC 7468 §10), as
/// Gatehouse hands it out: once, to the operator, for a gateway or an offline root.
///
/// It prints as `<redacted>` in `description`, `debugDescription`, string interpolation and `dump`,
/// so a log line or an error that captures it by mistake shows nothing. The text leaves only through
/// ``exportPEM()``, named so a reviewer sees every use.
public struct PrivateKeyPEM: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let text: String

    init(pkcs8PEM: String) { text = pkcs8PEM }

    /// The PEM text, for the one response that delivers it.
    public func exportPEM() -> String { text }

    public var description: String { "PrivateKeyPEM(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
