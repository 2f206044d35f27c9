import Foundation
import SwiftASN1
import X509

/// An operator's CA imported to sign gateway certificates.
public struct ImportedIssuingAuthority: Sendable {
    /// Role `.issuing`, with the key as PKCS #8 (SEC 1 and PKCS #1 input is converted).
    public let authority: AuthorityRecord
    public let signer: SoftwareCertificateSigner
}

extension CertificateAuthorities {
    /// Imports an operator's existing CA to sign gateway certificates and CRLs.
    ///
    /// Accepts one PEM certificate and its private key as PKCS #8 (`PRIVATE KEY`), SEC 1
    /// (`EC PRIVATE KEY`) or PKCS #1 (`RSA PRIVATE KEY`), with an ECDSA P-256 or P-384 or an RSA
    /// 2048-8192 key. Refuses, each with its own ``AuthorityImportError``: malformed PEM or DER, an
    /// encrypted key, a certificate not valid at `now`, a certificate that is not a CA (no
    /// basicConstraints cA, or keyUsage without keyCertSign or cRLSign), a weak or unknown key type,
    /// and a key that is not the certificate's.
    public static func importIssuingCA(
        certificatePEM: String, privateKeyPEM: String, now: Date
    ) throws(AuthorityImportError) -> ImportedIssuingAuthority {
        let (certificate, der) = try readCACertificate(pem: certificatePEM, now: now, mustSignCRLs: true)
        let key: SoftwareKey
        do { key = try SoftwareKey(pem: privateKeyPEM) } catch {
            switch error {
            case .malformed(let reason): throw .malformedPrivateKeyPEM(reason: reason)
            case .encrypted: throw .encryptedPrivateKey
            case .unsupported(let algorithm):
                throw KeyAcceptancePolicy.refusal(of: algorithm).map { AuthorityImportError($0, field: "privateKeyPEM") }
                    ?? .privateKeyDoesNotMatchCertificate
            case .rsaTooSmall: throw .rsaKeyTooSmall(field: "privateKeyPEM", bits: nil)
            }
        }
        guard key.publicKey == certificate.publicKey else { throw .privateKeyDoesNotMatchCertificate }
        let signer = SoftwareCertificateSigner(key: key, certificate: certificate, certificateDER: der)
        return ImportedIssuingAuthority(authority: authorityRecord(role: .issuing, signer: signer, key: key, now: now), signer: signer)
    }

    /// Reads and checks a CA certificate: one PEM `CERTIFICATE`, an accepted key type, valid at
    /// `now`, basicConstraints cA true, and (when keyUsage is present) keyCertSign, plus cRLSign if
    /// `mustSignCRLs`. RFC 5280 §4.2.1.3 lets a CA omit keyUsage, and `openssl req -x509` does, so a
    /// missing keyUsage restricts nothing.
    static func readCACertificate(
        pem: String, now: Date, mustSignCRLs: Bool
    ) throws(AuthorityImportError) -> (Certificate, [UInt8]) {
        let documents: [PEMDocument]
        do { documents = try PEMDocument.parseMultiple(pemString: pem) } catch {
            throw .malformedCertificatePEM(reason: "the text is not PEM (RFC 7468)")
        }
        let certificates = documents.filter { $0.discriminator == Certificate.defaultPEMDiscriminator }
        guard let document = certificates.first else {
            let found = documents.map(\.discriminator).joined(separator: ", ")
            throw .malformedCertificatePEM(reason: found.isEmpty ? "it holds no PEM block" : "expected a CERTIFICATE block, found \(found.prefix(80))")
        }
        guard certificates.count == 1 else { throw .severalCertificates(count: certificates.count) }
        let der = document.derBytes

        let algorithm: SubjectPublicKeyAlgorithm
        do { algorithm = try SubjectPublicKeyAlgorithm(subjectPublicKeyInfo: try DERStructure.certificateSubjectPublicKeyInfo(der)) } catch {
            throw .malformedCertificate(reason: error.reason)
        }
        if let refusal = KeyAcceptancePolicy.refusal(of: algorithm) { throw AuthorityImportError(refusal, field: "certificatePEM") }

        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: der) } catch {
            throw .malformedCertificate(reason: String(describing: error))
        }
        guard now >= certificate.notValidBefore else { throw .certificateNotYetValid(notBefore: certificate.notValidBefore) }
        guard now <= certificate.notValidAfter else { throw .certificateExpired(notAfter: certificate.notValidAfter) }

        let basicConstraints: BasicConstraints?
        let keyUsage: KeyUsage?
        do {
            basicConstraints = try certificate.extensions.basicConstraints
            keyUsage = try certificate.extensions.keyUsage
        } catch {
            throw .malformedCertificate(reason: String(describing: error))
        }
        guard case .isCertificateAuthority = basicConstraints else { throw .notACertificateAuthority }
        if let keyUsage {
            guard keyUsage.keyCertSign else { throw .keyCertSignNotPermitted }
            guard keyUsage.cRLSign || !mustSignCRLs else { throw .cRLSignNotPermitted }
        }
        return (certificate, der)
    }
}
