import SwiftASN1
import X509

/// A ``CertificateSigner`` with the CA key in memory, loaded from its PKCS #8 record.
///
/// It parses the certificate and key once and keeps them, so issuing thousands of certificates a
/// second re-parses nothing. It prints the CA's subject only, never the key.
public struct SoftwareCertificateSigner: CertificateSigner, CustomStringConvertible, CustomReflectable {
    public let certificate: Certificate
    /// The certificate's DER, as stored in the `AuthorityRecord`.
    public let certificateDER: [UInt8]
    public let authorityID: String
    public let privateKey: Certificate.PrivateKey
    public let signatureAlgorithm: Certificate.SignatureAlgorithm
    /// The CA key's algorithm (`P-256`, `RSA-3072`, ...).
    public let keyAlgorithm: SubjectPublicKeyAlgorithm

    /// Loads the signer of a stored CA, checking that its key belongs to its certificate.
    public init(authority: AuthorityRecord) throws(CertificateAuthorityError) {
        guard let material = authority.privateKey else { throw .noPrivateKey(authorityID: authority.id) }
        try self.init(privateKey: material, certificateDER: authority.certificateDER)
    }

    /// A signer from a PKCS #8 key and the DER certificate of that key.
    public init(privateKey material: PrivateKeyMaterial, certificateDER: [UInt8]) throws(CertificateAuthorityError) {
        let id = CertificateEncoding.fingerprintSHA256(der: certificateDER)
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: certificateDER) } catch {
            throw .unreadableCertificate(authorityID: id, reason: String(describing: error))
        }
        let key: SoftwareKey
        do { key = try SoftwareKey(pkcs8DER: material.exportDER()) } catch {
            throw .unreadablePrivateKey(authorityID: id, reason: error.reason)
        }
        guard key.publicKey == certificate.publicKey else { throw .privateKeyDoesNotMatchCertificate(authorityID: id) }
        self.init(key: key, certificate: certificate, certificateDER: certificateDER)
    }

    /// A signer from values already checked to belong together (a CA just created or imported).
    init(key: SoftwareKey, certificate: Certificate, certificateDER: [UInt8]) {
        self.certificate = certificate
        self.certificateDER = certificateDER
        self.authorityID = CertificateEncoding.fingerprintSHA256(der: certificateDER)
        self.privateKey = key.certificatePrivateKey
        self.signatureAlgorithm = key.signatureAlgorithm
        self.keyAlgorithm = key.algorithm
    }

    public var description: String { "SoftwareCertificateSigner(\(certificate.subject), \(keyAlgorithm), key <redacted>)" }
    public var customMirror: Mirror {
        Mirror(self, children: ["subject": String(describing: certificate.subject), "authorityID": authorityID], displayStyle: .struct)
    }
}
