/// The key Gatehouse generates for a gateway when it does not send a CSR. ECDSA P-256 is the
/// default: Basics Station (mbedTLS) supports it everywhere and it costs about 0.13 ms to make;
/// RSA is for gateways whose TLS stack predates ECDSA client certificates.
public enum GatewayKeyType: String, Sendable, CaseIterable, CustomStringConvertible {
    case p256
    case rsa2048
    case rsa3072
    case rsa4096

    var softwareKeyKind: SoftwareKey.Kind {
        switch self {
        case .p256: .p256
        case .rsa2048: .rsa(bits: 2048)
        case .rsa3072: .rsa(bits: 3072)
        case .rsa4096: .rsa(bits: 4096)
        }
    }

    var isRSA: Bool { self != .p256 }

    public var description: String {
        switch self {
        case .p256: "P-256"
        case .rsa2048: "RSA-2048"
        case .rsa3072: "RSA-3072"
        case .rsa4096: "RSA-4096"
        }
    }
}
