/// Which keys Gatehouse signs for or with: ECDSA on P-256 or P-384, RSA from 2048 to 8192 bits.
///
/// One rule for imported CAs, trusted vendor CAs and gateway CSRs. Below 2048 bits RSA is refused
/// (NIST SP 800-131A Rev. 2 §6); P-521 and Ed25519 are refused because Basics Station's mbedTLS
/// builds and many TLS stacks do not offer them for client certificates; RSA above 8192 bits is
/// refused because verifying it on every handshake costs more than it protects.
enum KeyAcceptancePolicy {
    static let minimumRSABits = 2048
    static let maximumRSABits = 8192

    /// Why a key is refused.
    enum Refusal: Equatable {
        case rsaKeyTooSmall(bits: Int)
        case unsupportedCurve(SubjectPublicKeyAlgorithm.NamedCurve)
        case unsupportedAlgorithm(SubjectPublicKeyAlgorithm)
    }

    /// `nil` when the key is accepted.
    static func refusal(of algorithm: SubjectPublicKeyAlgorithm) -> Refusal? {
        switch algorithm {
        case .ecdsa(.p256), .ecdsa(.p384):
            nil
        case .ecdsa(let curve):
            .unsupportedCurve(curve)
        case .rsa(let bits) where bits < minimumRSABits:
            .rsaKeyTooSmall(bits: bits)
        case .rsa(let bits) where bits > maximumRSABits:
            .unsupportedAlgorithm(algorithm)
        case .rsa:
            nil
        case .ed25519, .ed448, .other:
            .unsupportedAlgorithm(algorithm)
        }
    }

    /// The accepted keys, in words, for error messages.
    static let acceptedKeysSentence = "Gatehouse accepts ECDSA P-256 or P-384 keys, or RSA keys of 2048 to 8192 bits"
}
