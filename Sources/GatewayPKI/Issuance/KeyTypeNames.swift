/// Key types as operators type them: `p256`, `P-256`, `rsa-2048`, `RSA2048` all name the same thing.
/// The API and the CLI parse through this one place.
public protocol KeyTypeName: RawRepresentable, CaseIterable where RawValue == String {}

extension KeyTypeName {
    /// Parses a name in any case, with or without a hyphen.
    public init?(name: String) {
        self.init(rawValue: String(name.lowercased().filter { $0 != "-" }))
    }

    /// The accepted names, for error messages.
    public static var namesForHelp: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension GatewayKeyType: KeyTypeName {}
extension CertificateAuthorityKeyType: KeyTypeName {}
