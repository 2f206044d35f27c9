import SwiftASN1
import X509

/// What kind of key a certificate, CSR or private key holds, read from its AlgorithmIdentifier before
/// any parser that would refuse it without saying why.
///
/// swift-certificates throws a generic error for an RSA key under 2048 bits or an unknown curve; an
/// operator needs "RSA-1024 is too small" instead, so Gatehouse classifies the key itself first.
public enum SubjectPublicKeyAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// id-ecPublicKey with a named curve (RFC 5480 §2.1.1).
    case ecdsa(NamedCurve)
    /// rsaEncryption (RFC 8017 Appendix A.1) and the modulus length in bits.
    case rsa(modulusBits: Int)
    /// id-Ed25519 (RFC 8410 §3).
    case ed25519
    /// id-Ed448 (RFC 8410 §3).
    case ed448
    /// Any other algorithm, by its dotted OID (RSASSA-PSS-only keys, DSA, GOST, ...).
    case other(algorithm: String)

    /// An elliptic curve named in id-ecPublicKey parameters (RFC 5480 §2.1.1.1).
    public enum NamedCurve: Sendable, Hashable, CustomStringConvertible {
        case p256
        case p384
        case p521
        /// Another named curve by its dotted OID, or `"explicit parameters"` (RFC 5480 forbids those).
        case other(String)

        public var description: String {
            switch self {
            case .p256: "P-256"
            case .p384: "P-384"
            case .p521: "P-521"
            case .other(let name): "EC curve \(name)"
            }
        }
    }

    /// `P-256`, `P-384`, `RSA-2048`, `Ed25519`, ...: the name `CertificateRecord.keyAlgorithm` holds.
    public var description: String {
        switch self {
        case .ecdsa(let curve): curve.description
        case .rsa(let bits): "RSA-\(bits)"
        case .ed25519: "Ed25519"
        case .ed448: "Ed448"
        case .other(let oid): "algorithm \(oid)"
        }
    }
}

extension SubjectPublicKeyAlgorithm {
    static let ed25519OID: ASN1ObjectIdentifier = [1, 3, 101, 112]
    static let ed448OID: ASN1ObjectIdentifier = [1, 3, 101, 113]

    /// Classifies a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7).
    init(subjectPublicKeyInfo node: ASN1Node) throws(DERStructure.Malformed) {
        let fields = try DERStructure.children(of: node, named: "SubjectPublicKeyInfo")
        guard fields.count == 2 else { throw DERStructure.Malformed("SubjectPublicKeyInfo has \(fields.count) fields, expected 2") }
        let family = try KeyFamily(algorithmIdentifier: fields[0])
        switch family {
        case .rsa:
            self = .rsa(modulusBits: try Self.rsaModulusBits(subjectPublicKey: fields[1]))
        case .ecdsa(let curve): self = .ecdsa(curve)
        case .ed25519: self = .ed25519
        case .ed448: self = .ed448
        case .other(let oid): self = .other(algorithm: oid)
        }
    }

    /// The bit length of the modulus of an RSAPublicKey (RFC 8017 Appendix A.1.1) in a BIT STRING.
    private static func rsaModulusBits(subjectPublicKey node: ASN1Node) throws(DERStructure.Malformed) -> Int {
        do {
            let bits = try ASN1BitString(derEncoded: node)
            return try DER.sequence(try DER.parse(bits.bytes), identifier: .sequence) { nodes in
                guard let modulusNode = nodes.next(), nodes.next() != nil else {
                    throw DERStructure.Malformed("RSAPublicKey lacks its modulus or exponent")
                }
                let modulus = try ArraySlice<UInt8>(derEncoded: modulusNode).drop(while: { $0 == 0 })
                guard let first = modulus.first else { return 0 }
                return (modulus.count - 1) * 8 + (8 - first.leadingZeroBitCount)
            }
        } catch let error as DERStructure.Malformed {
            throw error
        } catch {
            throw DERStructure.Malformed("RSAPublicKey is not valid DER")
        }
    }
}

/// The algorithm family an AlgorithmIdentifier names, without key sizes: what a private key's
/// PKCS #8 header (RFC 5958 §2) tells before the key is parsed.
enum KeyFamily: Equatable {
    case ecdsa(SubjectPublicKeyAlgorithm.NamedCurve)
    case rsa
    case ed25519
    case ed448
    case other(String)

    init(algorithmIdentifier node: ASN1Node) throws(DERStructure.Malformed) {
        let fields = try DERStructure.children(of: node, named: "AlgorithmIdentifier")
        guard let oidNode = fields.first, let algorithm = try? ASN1ObjectIdentifier(derEncoded: oidNode) else {
            throw DERStructure.Malformed("AlgorithmIdentifier has no algorithm OID")
        }
        switch algorithm {
        case .AlgorithmIdentifier.rsaEncryption:
            self = .rsa
        case .AlgorithmIdentifier.idEcPublicKey:
            guard fields.count == 2, let curve = try? ASN1ObjectIdentifier(derEncoded: fields[1]) else {
                self = .ecdsa(.other("explicit parameters"))
                return
            }
            self = .ecdsa(SubjectPublicKeyAlgorithm.NamedCurve(oid: curve))
        case SubjectPublicKeyAlgorithm.ed25519OID:
            self = .ed25519
        case SubjectPublicKeyAlgorithm.ed448OID:
            self = .ed448
        default:
            self = .other(algorithm.description)
        }
    }
}

extension SubjectPublicKeyAlgorithm.NamedCurve {
    init(oid: ASN1ObjectIdentifier) {
        switch oid {
        case .NamedCurves.secp256r1: self = .p256
        case .NamedCurves.secp384r1: self = .p384
        case .NamedCurves.secp521r1: self = .p521
        default: self = .other(oid.description)
        }
    }
}

extension SubjectPublicKeyAlgorithm {
    /// The key algorithm of a DER certificate, read before swift-certificates parses it (which it
    /// cannot for RSA under 2048 bits or an unknown curve); `nil` when the DER is not a certificate.
    public init?(certificateDER der: [UInt8]) {
        guard let algorithm = try? Self(subjectPublicKeyInfo: try DERStructure.certificateSubjectPublicKeyInfo(der)) else { return nil }
        self = algorithm
    }

    /// The key algorithm of a parsed key; `other("unreadable SubjectPublicKeyInfo")` when it does not
    /// serialise, which every accepted-keys check refuses.
    public init(publicKey: Certificate.PublicKey) {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(publicKey)) != nil, let node = try? DER.parse(serializer.serializedBytes),
            let algorithm = try? Self(subjectPublicKeyInfo: node)
        else {
            self = .other(algorithm: "unreadable SubjectPublicKeyInfo")
            return
        }
        self = algorithm
    }
}
