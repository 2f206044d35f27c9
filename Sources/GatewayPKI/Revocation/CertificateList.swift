import Foundation
import SwiftASN1
import X509

/// A parsed RFC 5280 v2 CRL (§5.1): what the CRL says and the bytes its signature covers.
///
/// Reads the CRLs `CRLEncoder` writes, and any CRL restricted to the same profile: v2, the
/// signature algorithms Gatehouse signs with, and no critical extension other than those below
/// (§5.2 and §5.3: a CRL with an unknown critical extension must not be used).
public struct CertificateList: Sendable {
    /// RFC 5280 §5.1.2.1 version: 1 means v2.
    public let version: Int
    public let signatureAlgorithm: Certificate.SignatureAlgorithm
    public let issuer: DistinguishedName
    /// The issuer `Name` exactly as encoded in the CRL.
    public let issuerNameDER: [UInt8]
    public let thisUpdate: Date
    public let nextUpdate: Date?
    public let revokedCertificates: [RevokedCertificate]
    /// RFC 5280 §5.2.3 cRLNumber.
    public let crlNumber: Int64?
    /// RFC 5280 §5.2.1 authorityKeyIdentifier keyIdentifier.
    public let authorityKeyIdentifier: [UInt8]?
    /// The DER `TBSCertList`, which the signature covers.
    public let tbsCertListBytes: [UInt8]
    public let signature: [UInt8]

    /// Parses a DER CRL.
    public init(derEncoded der: [UInt8]) throws(CRLError) {
        do {
            self = try Self.parse(der)
        } catch let error as CRLError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// Parses a PEM CRL (`-----BEGIN X509 CRL-----`).
    public init(pemEncoded pem: String) throws(CRLError) {
        guard let document = try? PEMDocument(pemString: pem) else { throw .malformed("not a PEM document") }
        guard document.discriminator == CRLEncoder.pemDiscriminator else {
            throw .malformed("PEM label \(document.discriminator), expected \(CRLEncoder.pemDiscriminator)")
        }
        try self.init(derEncoded: document.derBytes)
    }

    /// The entry for a serial number, if the CRL lists it.
    public func revokedCertificate(serialNumber: Certificate.SerialNumber) -> RevokedCertificate? {
        revokedCertificates.first { $0.serialNumber == serialNumber }
    }

    /// Whether `issuer` issued this CRL: its subject is the CRL issuer (byte for byte, §5.1.2.3)
    /// and its public key verifies the signature (§5.1.1.3).
    public func isSigned(by issuer: Certificate) -> Bool {
        guard let subject = try? CRLEncoder.subjectNameDER(of: issuer), subject.elementsEqual(issuerNameDER) else { return false }
        return issuer.publicKey.isValidSignature(signature, for: tbsCertListBytes, signatureAlgorithm: signatureAlgorithm)
    }

    private static func parse(_ der: [UInt8]) throws -> Self {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            guard let tbsNode = nodes.next() else { throw CRLError.malformed("no tbsCertList") }
            let outerAlgorithm = try SignatureAlgorithmIdentifier(derEncoded: &nodes)
            let signature = try ASN1BitString(derEncoded: &nodes)
            guard signature.paddingBits == 0 else { throw CRLError.malformed("signatureValue has padding bits") }
            let list = try parseTBSCertList(tbsNode, signature: Array(signature.bytes))
            // RFC 5280 §5.1.1.2: signatureAlgorithm must equal the TBSCertList's signature field.
            guard outerAlgorithm.algorithm == list.signatureAlgorithm else {
                throw CRLError.malformed("signatureAlgorithm differs from the TBSCertList signature")
            }
            return list
        }
    }

    private static func parseTBSCertList(_ node: ASN1Node, signature: [UInt8]) throws -> Self {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let version = try Int(derEncoded: &nodes)
            guard version == TBSCertList.version else { throw CRLError.malformed("version \(version + 1), expected v2") }
            let algorithm = try SignatureAlgorithmIdentifier(derEncoded: &nodes)
            guard let issuerNode = nodes.next() else { throw CRLError.malformed("no issuer") }
            let issuer = try DistinguishedName(derEncoded: issuerNode)
            let thisUpdate = try CRLTime(derEncoded: &nodes)

            var next = nodes.next()
            var nextUpdate: Date?
            if let node = next, node.identifier == .utcTime || node.identifier == .generalizedTime {
                nextUpdate = try CRLTime(derEncoded: node).date
                next = nodes.next()
            }
            var revoked: [RevokedCertificate] = []
            if let node = next, node.identifier == .sequence {
                revoked = try DER.sequence(of: RevokedEntry.self, identifier: .sequence, rootNode: node).map(\.certificate)
                next = nodes.next()
            }
            var crlNumber: Int64?
            var authorityKeyIdentifier: [UInt8]?
            if let node = next {
                let extensions = try DER.explicitlyTagged(node, tagNumber: 0, tagClass: .contextSpecific) { node in
                    try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: node)
                }
                for crlExtension in extensions {
                    switch crlExtension.oid {
                    case CRLExtensions.cRLNumber:
                        crlNumber = try CRLExtensions.cRLNumber(from: crlExtension.value)
                    case CRLExtensions.authorityKeyIdentifier:
                        authorityKeyIdentifier = try AuthorityKeyIdentifier(crlExtension).keyIdentifier.map(Array.init)
                    default:
                        guard !crlExtension.critical else { throw CRLError.malformed("unknown critical CRL extension \(crlExtension.oid)") }
                    }
                }
            }
            guard nodes.next() == nil else { throw CRLError.malformed("trailing fields in the TBSCertList") }
            return CertificateList(
                version: version, signatureAlgorithm: algorithm.algorithm, issuer: issuer, issuerNameDER: Array(issuerNode.encodedBytes),
                thisUpdate: thisUpdate.date, nextUpdate: nextUpdate, revokedCertificates: revoked, crlNumber: crlNumber,
                authorityKeyIdentifier: authorityKeyIdentifier, tbsCertListBytes: Array(node.encodedBytes), signature: signature)
        }
    }

    private init(
        version: Int, signatureAlgorithm: Certificate.SignatureAlgorithm, issuer: DistinguishedName, issuerNameDER: [UInt8],
        thisUpdate: Date, nextUpdate: Date?, revokedCertificates: [RevokedCertificate], crlNumber: Int64?,
        authorityKeyIdentifier: [UInt8]?, tbsCertListBytes: [UInt8], signature: [UInt8]
    ) {
        self.version = version
        self.signatureAlgorithm = signatureAlgorithm
        self.issuer = issuer
        self.issuerNameDER = issuerNameDER
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.revokedCertificates = revokedCertificates
        self.crlNumber = crlNumber
        self.authorityKeyIdentifier = authorityKeyIdentifier
        self.tbsCertListBytes = tbsCertListBytes
        self.signature = signature
    }
}

/// One `revokedCertificates` element as read from DER (RFC 5280 §5.1.2.6, §5.3).
private struct RevokedEntry: DERParseable {
    var certificate: RevokedCertificate

    init(derEncoded node: ASN1Node) throws {
        certificate = try DER.sequence(node, identifier: .sequence) { nodes in
            let serial = try ArraySlice<UInt8>(derEncoded: &nodes)
            let revocationDate = try CRLTime(derEncoded: &nodes).date
            var reason = CRLReason.unspecified
            if let extensionsNode = nodes.next() {
                for entryExtension in try DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: extensionsNode) {
                    if entryExtension.oid == CRLExtensions.reasonCode {
                        reason = try CRLExtensions.reason(from: entryExtension.value)
                    } else if entryExtension.critical {
                        throw CRLError.malformed("unknown critical CRL entry extension \(entryExtension.oid)")
                    }
                }
            }
            return RevokedCertificate(serialNumber: Certificate.SerialNumber(bytes: serial), revocationDate: revocationDate, reason: reason)
        }
    }
}
