import SwiftASN1

/// Just enough DER walking to reach a key's AlgorithmIdentifier inside a certificate (RFC 5280
/// §4.1), a PKCS #10 request (RFC 2986 §4) or a PKCS #8 private key (RFC 5958 §2), so a refused key
/// gets a precise reason before swift-certificates rejects it with a generic one.
enum DERStructure {
    /// Bytes that are not the structure they claim to be. The reason names ASN.1 fields only, never
    /// content, so it is safe to show even when the bytes were a private key.
    struct Malformed: Error, Equatable {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    static func parse(_ der: [UInt8], named name: String) throws(Malformed) -> ASN1Node {
        do { return try DER.parse(der) } catch { throw Malformed("\(name) is not valid DER") }
    }

    /// The elements of a constructed node (SEQUENCE, SET or an explicit tag).
    static func children(of node: ASN1Node, named name: String) throws(Malformed) -> [ASN1Node] {
        guard case .constructed(let nodes) = node.content else { throw Malformed("\(name) is not a constructed ASN.1 value") }
        return Array(nodes)
    }

    /// `Certificate.tbsCertificate.subjectPublicKeyInfo`: after the optional `[0] version`, the sixth
    /// field (serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo).
    static func certificateSubjectPublicKeyInfo(_ der: [UInt8]) throws(Malformed) -> ASN1Node {
        let certificate = try children(of: try parse(der, named: "Certificate"), named: "Certificate")
        guard let tbs = certificate.first else { throw Malformed("Certificate has no tbsCertificate") }
        var fields = try children(of: tbs, named: "TBSCertificate")[...]
        if let first = fields.first, first.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            fields = fields.dropFirst()
        }
        guard fields.count >= 6 else { throw Malformed("TBSCertificate has too few fields") }
        return fields[fields.startIndex + 5]
    }

    /// `CertificationRequest.certificationRequestInfo.subjectPKInfo`: the third field (after version
    /// and subject).
    static func certificationRequestSubjectPublicKeyInfo(_ der: [UInt8]) throws(Malformed) -> ASN1Node {
        let request = try children(of: try parse(der, named: "CertificationRequest"), named: "CertificationRequest")
        guard let info = request.first else { throw Malformed("CertificationRequest has no certificationRequestInfo") }
        let fields = try children(of: info, named: "CertificationRequestInfo")
        guard fields.count >= 3 else { throw Malformed("CertificationRequestInfo has too few fields") }
        return fields[2]
    }

    /// `OneAsymmetricKey.privateKeyAlgorithm`: the second field, after the version.
    static func pkcs8PrivateKeyAlgorithm(_ der: [UInt8]) throws(Malformed) -> ASN1Node {
        let fields = try children(of: try parse(der, named: "PrivateKeyInfo"), named: "PrivateKeyInfo")
        guard fields.count >= 3 else { throw Malformed("PrivateKeyInfo has too few fields") }
        return fields[1]
    }

    /// The curve of a SEC 1 `ECPrivateKey` (RFC 5915 §3): its `[0] parameters` when present,
    /// otherwise the length of the private key octets (32 for P-256, 48 for P-384, 66 for P-521).
    static func sec1Curve(_ der: [UInt8]) throws(Malformed) -> SubjectPublicKeyAlgorithm.NamedCurve {
        let fields = try children(of: try parse(der, named: "ECPrivateKey"), named: "ECPrivateKey")
        guard fields.count >= 2, let privateKey = try? ASN1OctetString(derEncoded: fields[1]) else {
            throw Malformed("ECPrivateKey lacks its privateKey field")
        }
        let parametersTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
        if let parameters = fields.dropFirst(2).first(where: { $0.identifier == parametersTag }) {
            guard let inner = try children(of: parameters, named: "ECParameters").first,
                let oid = try? ASN1ObjectIdentifier(derEncoded: inner)
            else { return .other("explicit parameters") }
            return SubjectPublicKeyAlgorithm.NamedCurve(oid: oid)
        }
        switch privateKey.bytes.count {
        case 32: return .p256
        case 48: return .p384
        case 66: return .p521
        default: return .other("unknown")
        }
    }
}
