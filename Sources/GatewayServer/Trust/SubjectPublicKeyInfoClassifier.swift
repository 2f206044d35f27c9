import GatewayPKI
import SwiftASN1
import X509

/// Reads which key a certificate holds straight from its DER, before swift-certificates parses it.
///
/// swift-certificates cannot parse a certificate whose key is RSA under 2048 bits or on a curve it
/// does not know, so without this a gateway presenting RSA-1024 would be refused as "malformed"
/// instead of "weak key". GatewayPKI has the same classification for imports and CSRs, but internal;
/// this one yields the same public ``SubjectPublicKeyAlgorithm`` so both speak of keys alike.
enum SubjectPublicKeyInfoClassifier {
    /// The key algorithm of a DER certificate (RFC 5280 §4.1: the sixth field of the TBSCertificate
    /// after the optional `[0] version`), or `nil` when the DER is not that shape.
    static func algorithm(ofCertificateDER der: [UInt8]) -> SubjectPublicKeyAlgorithm? {
        guard let certificate = try? DER.parse(der), case .constructed(let parts) = certificate.content,
            let tbs = parts.first(where: { _ in true }), case .constructed(let tbsFields) = tbs.content
        else { return nil }
        var fields = Array(tbsFields)[...]
        if fields.first?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) { fields = fields.dropFirst() }
        guard fields.count >= 6 else { return nil }
        return algorithm(ofSubjectPublicKeyInfo: fields[fields.startIndex + 5])
    }

    /// The key algorithm of a parsed key, from its `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7);
    /// "unreadable" when it does not serialise, which an accepted-keys check then refuses.
    static func algorithm(of publicKey: Certificate.PublicKey) -> SubjectPublicKeyAlgorithm {
        var serializer = DER.Serializer()
        guard (try? serializer.serialize(publicKey)) != nil, let node = try? DER.parse(serializer.serializedBytes),
            let algorithm = algorithm(ofSubjectPublicKeyInfo: node)
        else { return .other(algorithm: "unreadable SubjectPublicKeyInfo") }
        return algorithm
    }

    private static func algorithm(ofSubjectPublicKeyInfo node: ASN1Node) -> SubjectPublicKeyAlgorithm? {
        guard case .constructed(let spki) = node.content else { return nil }
        let fields = Array(spki)
        guard fields.count == 2, case .constructed(let identifier) = fields[0].content else { return nil }
        let identifierFields = Array(identifier)
        guard let oidNode = identifierFields.first, let oid = try? ASN1ObjectIdentifier(derEncoded: oidNode) else { return nil }
        switch oid {
        case .AlgorithmIdentifier.rsaEncryption:
            return rsaModulusBits(fields[1]).map { .rsa(modulusBits: $0) }
        case .AlgorithmIdentifier.idEcPublicKey:
            // RFC 5480 §2.1.1: namedCurve; explicit parameters are forbidden, so they are "another curve".
            guard identifierFields.count == 2, let curve = try? ASN1ObjectIdentifier(derEncoded: identifierFields[1]) else {
                return .ecdsa(.other("explicit parameters"))
            }
            switch curve {
            case .NamedCurves.secp256r1: return .ecdsa(.p256)
            case .NamedCurves.secp384r1: return .ecdsa(.p384)
            case .NamedCurves.secp521r1: return .ecdsa(.p521)
            default: return .ecdsa(.other(curve.description))
            }
        case [1, 3, 101, 112]:
            return .ed25519  // RFC 8410 §3
        case [1, 3, 101, 113]:
            return .ed448
        default:
            return .other(algorithm: oid.description)
        }
    }

    /// The bit length of the modulus of an RSAPublicKey (RFC 8017 Appendix A.1.1) in a BIT STRING.
    private static func rsaModulusBits(_ node: ASN1Node) -> Int? {
        guard let bits = try? ASN1BitString(derEncoded: node), let key = try? DER.parse(bits.bytes),
            case .constructed(let integers) = key.content, let modulusNode = integers.first(where: { _ in true }),
            let modulus = try? ArraySlice<UInt8>(derEncoded: modulusNode)
        else { return nil }
        let significant = modulus.drop(while: { $0 == 0 })
        guard let first = significant.first else { return 0 }
        return (significant.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }
}
