import Foundation
import X509

extension CertificateAuthorities {
    /// Trusts a gateway vendor's CA for verification only: Gatehouse never signs with it, so only the
    /// certificate is given.
    ///
    /// The certificate must be one PEM CA certificate (basicConstraints cA true; keyCertSign if
    /// keyUsage is present), valid at `now`, with an accepted key type. Returns a record with role
    /// `.vendor` and no private key.
    public static func trustVendorCA(certificatePEM: String, now: Date) throws(AuthorityImportError) -> AuthorityRecord {
        let (_, der) = try readCACertificate(pem: certificatePEM, now: now, mustSignCRLs: false)
        return AuthorityRecord(
            id: CertificateEncoding.fingerprintSHA256(der: der), role: .vendor, certificateDER: der, privateKey: nil, createdAt: now)
    }
}
