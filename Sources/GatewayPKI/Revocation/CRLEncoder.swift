import Foundation
import SwiftASN1
import X509

/// Makes the CRL of an issuing CA: an RFC 5280 v2 `CertificateList` (§5.1), DER or PEM.
///
/// ```
/// CertificateList ::= SEQUENCE {
///     tbsCertList          TBSCertList,
///     signatureAlgorithm   AlgorithmIdentifier,
///     signatureValue       BIT STRING }
/// ```
///
/// Pure: the caller passes the times and the CRL number (strictly increasing per issuer, §5.2.3)
/// and stores the result.
public enum CRLEncoder {
    /// The PEM label of a CRL (RFC 7468 §6).
    public static let pemDiscriminator = "X509 CRL"

    /// A DER CRL listing `revoked`, signed by `signer` for the CA in `signer.certificate`.
    ///
    /// The issuer is the CA certificate's subject, byte for byte; the CRL carries the
    /// authorityKeyIdentifier (the CA's subject key identifier, §5.2.1) and cRLNumber (§5.2.3),
    /// and each entry a reasonCode unless the reason is unspecified (§5.3.1).
    ///
    /// - Throws: `CRLError`, or what the signer throws.
    public static func makeCRL(
        revoked: [RevokedCertificate], number: Int64, thisUpdate: Date, nextUpdate: Date, signer: some CRLSigning
    ) throws -> [UInt8] {
        var seen = Set<Certificate.SerialNumber>()
        var entries: [[UInt8]] = []
        entries.reserveCapacity(revoked.count)
        for certificate in revoked {
            guard seen.insert(certificate.serialNumber).inserted else {
                throw CRLError.duplicateSerialNumber(certificate.serialHex)
            }
            entries.append(try certificate.entryDER())
        }
        return try makeCRL(entries: entries, number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate, signer: signer)
    }

    /// ``makeCRL(revoked:number:thisUpdate:nextUpdate:signer:)`` for stored revocations, reusing the
    /// entry encodings of earlier CRLs kept in `encodings`.
    static func makeCRL(
        listed: [ListedRevocation], encodings: inout CRLEntryEncodings, number: Int64, thisUpdate: Date, nextUpdate: Date,
        signer: some CRLSigning
    ) throws -> [UInt8] {
        try makeCRL(entries: try encodings.entries(for: listed), number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate, signer: signer)
    }

    /// A CRL of already encoded, checked entries (``RevokedCertificate/entryDER()``).
    private static func makeCRL(
        entries: [[UInt8]], number: Int64, thisUpdate: Date, nextUpdate: Date, signer: some CRLSigning
    ) throws -> [UInt8] {
        let issuer = signer.certificate
        guard number >= 0 else { throw CRLError.negativeCRLNumber(number) }
        guard nextUpdate > thisUpdate else { throw CRLError.nextUpdateNotAfterThisUpdate }
        guard let subjectKeyIdentifier = try? issuer.extensions.subjectKeyIdentifier else {
            throw CRLError.issuerHasNoSubjectKeyIdentifier
        }
        if let keyUsage = try? issuer.extensions.keyUsage, !keyUsage.cRLSign { throw CRLError.issuerMayNotSignCRLs }

        var tbs = TBSCertList(
            signature: try SignatureAlgorithmIdentifier(defaultFor: issuer.publicKey).validated(),
            issuerNameDER: try subjectNameDER(of: issuer),
            thisUpdate: try CRLTime(thisUpdate),
            nextUpdate: try CRLTime(nextUpdate),
            revokedCertificates: entries,
            crlExtensions: [
                try CRLExtensions.authorityKeyIdentifierExtension(keyIdentifier: subjectKeyIdentifier.keyIdentifier),
                try CRLExtensions.cRLNumberExtension(number),
            ])

        // The algorithm is inside the signed bytes, so it is chosen before signing. A signer that
        // prefers another algorithm gets the TBSCertList again, announcing the one it used.
        for _ in 0..<2 {
            let tbsBytes = try tbs.derBytes()
            let (algorithm, signature) = try signer.sign(tbsBytes)
            guard algorithm == tbs.signature.algorithm else {
                tbs.signature = try SignatureAlgorithmIdentifier(algorithm).validated()
                continue
            }
            guard issuer.publicKey.isValidSignature(signature, for: tbsBytes, signatureAlgorithm: algorithm) else {
                throw CRLError.signatureDoesNotVerify
            }
            var coder = DER.Serializer()
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                coder.serializeRawBytes(tbsBytes)
                try coder.serialize(tbs.signature)
                try coder.serialize(ASN1BitString(bytes: signature[...]))
            }
            return coder.serializedBytes
        }
        throw CRLError.signerChangedAlgorithm
    }

    /// A CRL for revoked certificate records. Every record must be revoked.
    public static func makeCRL(
        revoking records: [CertificateRecord], number: Int64, thisUpdate: Date, nextUpdate: Date, signer: some CRLSigning
    ) throws -> [UInt8] {
        let revoked = try records.map { record throws(CRLError) in try RevokedCertificate(record) }
        return try makeCRL(revoked: revoked, number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate, signer: signer)
    }

    /// The PEM form of a DER CRL: `-----BEGIN X509 CRL-----`.
    public static func pem(fromDER der: [UInt8]) -> String {
        PEMText.encode(type: pemDiscriminator, der: der)
    }

    /// The DER `Name` of a certificate's subject as it appears in the certificate (RFC 5280 §4.1):
    /// `TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
    /// validity, subject, ... }`.
    static func subjectNameDER(of certificate: Certificate) throws(CRLError) -> ArraySlice<UInt8> {
        do {
            let root = try DER.parse(certificate.tbsCertificateBytes)
            guard case .constructed(let fields) = root.content else { throw CRLError.malformed("TBSCertificate is primitive") }
            var nodes = fields.makeIterator()
            var field = nodes.next()
            if field?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) { field = nodes.next() }
            // serialNumber, signature, issuer, validity come before the subject.
            for _ in 0..<4 { field = nodes.next() }
            guard let subject = field, subject.identifier == .sequence else {
                throw CRLError.malformed("the issuer certificate has no subject")
            }
            return subject.encodedBytes
        } catch let error as CRLError {
            throw error
        } catch {
            throw CRLError.malformed("the issuer certificate: \(error)")
        }
    }
}
