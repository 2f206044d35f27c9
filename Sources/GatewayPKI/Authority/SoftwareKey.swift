import Crypto
import SwiftASN1
import X509
import _CryptoExtras

/// A private key held in memory: a CA's software key, or a gateway key Gatehouse generates and hands
/// out once. Only the key types ``KeyAcceptancePolicy`` accepts can be held.
///
/// It never prints its bytes: `description` names the algorithm and the mirror is empty.
enum SoftwareKey: Sendable, CustomStringConvertible, CustomReflectable {
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case rsa(_RSA.Signing.PrivateKey)

    /// Which key to generate.
    enum Kind: Sendable, Equatable {
        case p256
        case p384
        case rsa(bits: Int)
    }

    /// A new key from the system CSPRNG (BoringSSL's, through swift-crypto).
    static func generate(_ kind: Kind) throws -> SoftwareKey {
        switch kind {
        // Sampled directly rather than through swift-crypto, which runs a FIPS self-test on each key
        // (see P256PrivateKeySampler).
        case .p256: .p256(try P256PrivateKeySampler.privateKey())
        // Not compact-representable: that form (x-only keys) is for key agreement we do not do, and
        // asking for it makes BoringSSL draw keys again until one fits.
        case .p384: .p384(P384.Signing.PrivateKey(compactRepresentable: false))
        case .rsa(let bits): .rsa(try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits)))
        }
    }

    var certificatePrivateKey: Certificate.PrivateKey {
        switch self {
        case .p256(let key): Certificate.PrivateKey(key)
        case .p384(let key): Certificate.PrivateKey(key)
        case .rsa(let key): Certificate.PrivateKey(key)
        }
    }

    var publicKey: Certificate.PublicKey {
        switch self {
        case .p256(let key): Certificate.PublicKey(key.publicKey)
        case .p384(let key): Certificate.PublicKey(key.publicKey)
        case .rsa(let key): Certificate.PublicKey(key.publicKey)
        }
    }

    var algorithm: SubjectPublicKeyAlgorithm {
        switch self {
        case .p256: .ecdsa(.p256)
        case .p384: .ecdsa(.p384)
        case .rsa(let key): .rsa(modulusBits: key.keySizeInBits)
        }
    }

    /// The signature algorithm this key signs with: the hash matches the curve's strength for ECDSA
    /// (RFC 5480 §4), SHA-256 for RSA PKCS #1 v1.5, which every TLS stack verifies.
    var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch self {
        case .p256: .ecdsaWithSHA256
        case .p384: .ecdsaWithSHA384
        case .rsa: .sha256WithRSAEncryption
        }
    }

    /// PKCS #8 `PrivateKeyInfo` DER (RFC 5958), the form `PrivateKeyMaterial` stores.
    var pkcs8DER: [UInt8] {
        switch self {
        case .p256(let key): Array(key.derRepresentation)
        case .p384(let key): Array(key.derRepresentation)
        case .rsa(let key): Array(key.pkcs8DERRepresentation)
        }
    }

    /// PKCS #8 PEM (`-----BEGIN PRIVATE KEY-----`), the form handed to operators.
    var pkcs8PEM: PrivateKeyPEM {
        switch self {
        case .p256, .p384: PrivateKeyPEM(pkcs8PEM: PEMText.encode(type: "PRIVATE KEY", der: pkcs8DER))
        case .rsa(let key): PrivateKeyPEM(pkcs8PEM: key.pkcs8PEMRepresentation)
        }
    }

    var description: String { "SoftwareKey(\(algorithm), <redacted>)" }
    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}

extension SoftwareKey {
    /// Why bytes could not become a ``SoftwareKey``. No case carries any of the bytes.
    enum ReadingProblem: Error, Equatable {
        /// Not a PKCS #8, SEC 1 or PKCS #1 private key, or damaged.
        case malformed(String)
        /// An `ENCRYPTED PRIVATE KEY` (RFC 5958 §3): Gatehouse holds no passphrase for it.
        case encrypted
        /// A key type ``KeyAcceptancePolicy`` refuses (the RSA size is checked by the caller).
        case unsupported(SubjectPublicKeyAlgorithm)
        /// RSA under 2048 bits; swift-crypto refuses to load it at all.
        case rsaTooSmall
    }

    /// Reads a PKCS #8 `PrivateKeyInfo` (what `PrivateKeyMaterial` stores).
    init(pkcs8DER der: [UInt8]) throws(ReadingProblem) {
        let family: KeyFamily
        do {
            family = try KeyFamily(algorithmIdentifier: try DERStructure.pkcs8PrivateKeyAlgorithm(der))
        } catch {
            throw .malformed(error.reason)
        }
        try self.init(der: der, family: family)
    }

    /// Reads the first private key in PEM text: `PRIVATE KEY` (PKCS #8), `EC PRIVATE KEY` (SEC 1,
    /// RFC 5915) or `RSA PRIVATE KEY` (PKCS #1, RFC 8017). Other blocks before it, such as the
    /// `EC PARAMETERS` that `openssl ecparam -genkey` writes first, are skipped.
    init(pem text: String) throws(ReadingProblem) {
        let documents: [PEMDocument]
        do { documents = try PEMDocument.parseMultiple(pemString: text) } catch {
            throw .malformed("the text is not PEM (RFC 7468)")
        }
        let keyTypes = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]
        guard let document = documents.first(where: { keyTypes.contains($0.discriminator) }) else {
            let found = documents.map(\.discriminator).joined(separator: ", ")
            throw .malformed(found.isEmpty ? "the text holds no PEM block" : "expected a PRIVATE KEY block, found \(found.prefix(80))")
        }
        switch document.discriminator {
        case "PRIVATE KEY":
            try self.init(pkcs8DER: document.derBytes)
        case "EC PRIVATE KEY":
            let curve: SubjectPublicKeyAlgorithm.NamedCurve
            do { curve = try DERStructure.sec1Curve(document.derBytes) } catch { throw .malformed(error.reason) }
            try self.init(der: document.derBytes, family: .ecdsa(curve))
        case "RSA PRIVATE KEY":
            try self.init(der: document.derBytes, family: .rsa)
        default:
            throw .encrypted
        }
    }

    /// Parses DER (PKCS #8, or SEC 1 / PKCS #1 for the matching family) as the family says.
    private init(der: [UInt8], family: KeyFamily) throws(ReadingProblem) {
        switch family {
        case .ecdsa(.p256):
            guard let key = try? P256.Signing.PrivateKey(derRepresentation: der) else { throw .malformed("the P-256 private key is damaged") }
            self = .p256(key)
        case .ecdsa(.p384):
            guard let key = try? P384.Signing.PrivateKey(derRepresentation: der) else { throw .malformed("the P-384 private key is damaged") }
            self = .p384(key)
        case .ecdsa(let curve):
            throw .unsupported(.ecdsa(curve))
        case .rsa:
            if let key = try? _RSA.Signing.PrivateKey(derRepresentation: der) {
                self = .rsa(key)
            } else if (try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: der)) != nil {
                throw .rsaTooSmall
            } else {
                throw .malformed("the RSA private key is damaged")
            }
        case .ed25519:
            throw .unsupported(.ed25519)
        case .ed448:
            throw .unsupported(.ed448)
        case .other(let oid):
            throw .unsupported(.other(algorithm: oid))
        }
    }
}
