import Crypto
import SwiftASN1
import _CryptoExtras
import X509

/// The `AlgorithmIdentifier` of a CRL's `signature` and `signatureAlgorithm` fields
/// (RFC 5280 §5.1.1.2 and §5.1.2.2; both fields carry the same value).
///
/// swift-certificates keeps its `AlgorithmIdentifier` internal, so the algorithms Gatehouse signs
/// with are spelled out here, with the parameters their RFCs require.
struct SignatureAlgorithmIdentifier: DERSerializable, DERParseable, Sendable, Hashable {
    var algorithm: Certificate.SignatureAlgorithm

    init(_ algorithm: Certificate.SignatureAlgorithm) {
        self.algorithm = algorithm
    }

    /// The algorithm a CA with this public key signs with, as swift-certificates chooses for
    /// certificates: SHA-256 for P-256 and RSA, SHA-384 for P-384, SHA-512 for P-521.
    init(defaultFor publicKey: Certificate.PublicKey) throws(CRLError) {
        if P256.Signing.PublicKey(publicKey) != nil {
            algorithm = .ecdsaWithSHA256
        } else if P384.Signing.PublicKey(publicKey) != nil {
            algorithm = .ecdsaWithSHA384
        } else if P521.Signing.PublicKey(publicKey) != nil {
            algorithm = .ecdsaWithSHA512
        } else if _RSA.Signing.PublicKey(publicKey) != nil {
            algorithm = .sha256WithRSAEncryption
        } else if Curve25519.Signing.PublicKey(publicKey) != nil {
            algorithm = .ed25519
        } else {
            throw .unsupportedSignatureAlgorithm("for a \(publicKey) issuer")
        }
    }

    /// `(OID, parameters are NULL)`: RFC 5758 §3.2 (ECDSA: parameters absent), RFC 4055 §5
    /// (PKCS #1 v1.5: parameters NULL), RFC 8410 §3 (Ed25519: parameters absent).
    private static let table: [(Certificate.SignatureAlgorithm, ASN1ObjectIdentifier, nullParameters: Bool)] = [
        (.ecdsaWithSHA256, [1, 2, 840, 10045, 4, 3, 2], false),
        (.ecdsaWithSHA384, [1, 2, 840, 10045, 4, 3, 3], false),
        (.ecdsaWithSHA512, [1, 2, 840, 10045, 4, 3, 4], false),
        (.sha256WithRSAEncryption, [1, 2, 840, 113_549, 1, 1, 11], true),
        (.sha384WithRSAEncryption, [1, 2, 840, 113_549, 1, 1, 12], true),
        (.sha512WithRSAEncryption, [1, 2, 840, 113_549, 1, 1, 13], true),
        (.ed25519, [1, 3, 101, 112], false),
    ]

    /// Throws for algorithms Gatehouse does not sign CRLs with (SHA-1 among them).
    func validated() throws(CRLError) -> Self {
        guard Self.table.contains(where: { $0.0 == algorithm }) else { throw .unsupportedSignatureAlgorithm("\(algorithm)") }
        return self
    }

    func serialize(into coder: inout DER.Serializer) throws {
        guard let entry = Self.table.first(where: { $0.0 == algorithm }) else {
            throw ASN1Error.invalidASN1Object(reason: "unsupported signature algorithm \(algorithm)")
        }
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(entry.1)
            if entry.nullParameters { try coder.serialize(ASN1Null()) }
        }
    }

    init(derEncoded node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            let parameters = nodes.next()
            guard let entry = Self.table.first(where: { $0.1 == oid }) else {
                throw ASN1Error.invalidASN1Object(reason: "unsupported signature algorithm \(oid)")
            }
            // RFC 4055 §5 lets RSA parameters be absent or NULL; everything else has none.
            if let parameters {
                guard entry.nullParameters, (try? ASN1Null(derEncoded: parameters)) != nil else {
                    throw ASN1Error.invalidASN1Object(reason: "unexpected parameters for \(oid)")
                }
            }
            return Self(entry.0)
        }
    }
}
