import Foundation

/// A certificate authority Gatehouse knows: one it signs with (root or issuing), or a vendor CA it only
/// trusts for verification.
public struct AuthorityRecord: Sendable, Equatable {
    /// Stable identifier: the SHA-256 fingerprint of the CA certificate, lower-case hex.
    public var id: String
    public var role: AuthorityRole
    public var certificateDER: [UInt8]
    /// The CA's private key (PKCS#8 DER), `nil` for vendor CAs and for an offline root. `Storage` encrypts
    /// it at rest; it never appears in logs or descriptions.
    public var privateKey: PrivateKeyMaterial?
    public var createdAt: Date

    public init(id: String, role: AuthorityRole, certificateDER: [UInt8], privateKey: PrivateKeyMaterial?, createdAt: Date) {
        self.id = id
        self.role = role
        self.certificateDER = certificateDER
        self.privateKey = privateKey
        self.createdAt = createdAt
    }
}

public enum AuthorityRole: String, Sendable, Codable, CaseIterable {
    /// The operator's root CA (its key may be exported and removed: an offline root).
    case root
    /// The CA that signs gateway certificates (an intermediate, or an imported operator CA).
    case issuing
    /// A gateway vendor's CA, trusted for verification only.
    case vendor
}

/// Private key bytes that never print. `description` is redacted; the bytes leave only through
/// `withUnsafeBytes`/`exportDER()`, named so a reviewer sees every use.
public struct PrivateKeyMaterial: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let der: [UInt8]

    public init(pkcs8DER: [UInt8]) { der = pkcs8DER }

    public func exportDER() -> [UInt8] { der }

    public var description: String { "PrivateKeyMaterial(<redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
