/// Why a CRL could not be made or read. Each case carries what an operator needs to act on it;
/// none carries key material (serial numbers are public).
public enum CRLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// RFC 5280 §5.2.1: a CRL must carry the authority key identifier, taken from the issuer's
    /// subject key identifier, so the issuer certificate needs one.
    case issuerHasNoSubjectKeyIdentifier
    /// RFC 5280 §4.2.1.3: a CA whose key usage extension lacks cRLSign may not sign CRLs.
    case issuerMayNotSignCRLs
    /// The issuer's key or the signer's algorithm has no signature algorithm this encoder writes.
    case unsupportedSignatureAlgorithm(String)
    /// The signer used another algorithm than announced even after a second attempt.
    case signerChangedAlgorithm
    /// The signature does not verify with the issuer certificate's public key: the signer holds
    /// another key than the certificate it presents.
    case signatureDoesNotVerify
    /// RFC 5280 §5.1.2.5: nextUpdate must be later than thisUpdate.
    case nextUpdateNotAfterThisUpdate
    /// RFC 5280 §5.2.3: the CRL number is a non-negative integer.
    case negativeCRLNumber(Int64)
    /// A serial number that is not hexadecimal (RFC 5280 §4.1.2.2 serials are positive integers).
    case invalidSerialNumber(String)
    /// The same certificate listed twice in one CRL.
    case duplicateSerialNumber(String)
    /// A certificate record without a revocation was given to list as revoked.
    case certificateNotRevoked(serial: String)
    /// RFC 5280 §5.3.1: removeFromCRL belongs in delta CRLs only; Gatehouse writes complete CRLs.
    case removeFromCRLInCompleteCRL(serial: String)
    /// A date outside what UTCTime/GeneralizedTime can carry (years 0...9999), or not finite.
    case dateOutOfRange
    /// The CRL's DER (or PEM) is not a well-formed RFC 5280 CertificateList.
    case malformed(String)

    public var description: String {
        switch self {
        case .issuerHasNoSubjectKeyIdentifier:
            "The issuing CA certificate has no subject key identifier, which the CRL's authority key identifier needs (RFC 5280 §5.2.1)."
        case .issuerMayNotSignCRLs:
            "The issuing CA certificate's key usage does not include cRLSign (RFC 5280 §4.2.1.3)."
        case .unsupportedSignatureAlgorithm(let algorithm):
            "The signature algorithm \(algorithm) is not supported for CRLs."
        case .signerChangedAlgorithm:
            "The CA signer did not sign with the algorithm the CRL announces."
        case .signatureDoesNotVerify:
            "The CRL signature does not verify with the issuing CA certificate's public key."
        case .nextUpdateNotAfterThisUpdate:
            "The CRL's nextUpdate must be later than its thisUpdate (RFC 5280 §5.1.2.5)."
        case .negativeCRLNumber(let number):
            "The CRL number \(number) is negative (RFC 5280 §5.2.3)."
        case .invalidSerialNumber(let serial):
            "The serial number \"\(serial)\" is not hexadecimal."
        case .duplicateSerialNumber(let serial):
            "The serial number \(serial) is listed twice."
        case .certificateNotRevoked(let serial):
            "The certificate \(serial) is not revoked, so it cannot be listed in a CRL."
        case .removeFromCRLInCompleteCRL(let serial):
            "The certificate \(serial) has reason removeFromCRL, which only delta CRLs may carry (RFC 5280 §5.3.1)."
        case .dateOutOfRange:
            "A CRL date is outside the years 0 to 9999."
        case .malformed(let reason):
            "The CRL is malformed: \(reason)."
        }
    }
}
