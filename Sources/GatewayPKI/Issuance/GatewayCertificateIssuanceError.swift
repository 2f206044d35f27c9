import Foundation

/// Why a gateway certificate was not issued.
///
/// ``invalidCertificationRequest(_:)`` and ``invalidValidityDays(_:)`` are the caller's input (4xx);
/// the issuer cases say the CA needs the operator's attention (a new issuing CA).
public enum GatewayCertificateIssuanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The CSR was refused; the wrapped error says why.
    case invalidCertificationRequest(CertificationRequestError)
    /// The validity is outside ``GatewayCertificateProfile/validityDaysRange``.
    case invalidValidityDays(Int)
    /// The certificate would outlive the issuing CA (RFC 5280 §6.1.3 would reject it after the CA
    /// expires); issue a shorter one or renew the CA.
    case validityExceedsIssuer(notAfter: Date, issuerNotAfter: Date)
    /// The issuing CA is not valid at the time of issuance.
    case issuerNotValid(at: Date, issuerNotBefore: Date, issuerNotAfter: Date)
    /// The issuing CA certificate cannot be used to issue (its extensions do not parse).
    case issuerUnusable(reason: String)
    /// Key generation or signing failed inside swift-crypto or swift-certificates (or the signer).
    case cryptographicFailure(String)

    /// The input field the problem is in, for the 4xx response.
    public var field: String {
        switch self {
        case .invalidCertificationRequest(let error): error.field
        case .invalidValidityDays, .validityExceedsIssuer: "validityDays"
        case .issuerNotValid, .issuerUnusable, .cryptographicFailure: "issuer"
        }
    }

    public var description: String {
        switch self {
        case .invalidCertificationRequest(let error):
            error.description
        case .invalidValidityDays(let days):
            "validityDays \(days) is outside \(GatewayCertificateProfile.validityDaysRange.lowerBound)...\(GatewayCertificateProfile.validityDaysRange.upperBound)."
        case .validityExceedsIssuer(let notAfter, let issuerNotAfter):
            "validityDays would end the certificate at \(notAfter.formatted(.iso8601)), after the issuing CA expires at \(issuerNotAfter.formatted(.iso8601))."
        case .issuerNotValid(let time, let notBefore, let notAfter):
            "The issuing CA is not valid at \(time.formatted(.iso8601)) (valid \(notBefore.formatted(.iso8601)) to \(notAfter.formatted(.iso8601)))."
        case .issuerUnusable(let reason):
            "The issuing CA certificate cannot issue: \(reason)."
        case .cryptographicFailure(let reason):
            "Signing the certificate failed: \(reason)."
        }
    }
}
