import Foundation
import X509

/// The profile of the CA certificates Gatehouse creates (RFC 5280 §4.2.1): what a root and an
/// issuing CA assert, in one place.
enum CertificateAuthorityProfile {
    /// notBefore is set this far in the past so a peer whose clock is a little behind accepts a
    /// certificate made a moment ago.
    static let clockSkewAllowance: TimeInterval = 5 * 60
    static let rootValidityYears = 20
    static let issuingValidityYears = 10
    /// The root may sign one level of CA (the issuing CA) below it; the issuing CA signs only end
    /// entities (RFC 5280 §4.2.1.9 pathLenConstraint).
    static let rootMaxPathLength = 1
    static let issuingMaxPathLength = 0

    /// basicConstraints (critical, cA true, pathLen), keyUsage (critical: keyCertSign and cRLSign,
    /// as §4.2.1.3 requires of a CA that signs certificates and CRLs), SKI (§4.2.1.2: SHA-1 of the
    /// subjectPublicKey, method 1) and AKI (§4.2.1.1: the signer's SKI; a root's own).
    static func extensions(
        subjectKeyIdentifier: SubjectKeyIdentifier, authorityKeyIdentifier: ArraySlice<UInt8>, maxPathLength: Int
    ) throws -> Certificate.Extensions {
        try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: maxPathLength))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            subjectKeyIdentifier
            AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
        }
    }

    /// `now` plus whole calendar years in UTC, so a 20-year root ends on the same date 20 years on.
    static func adding(years: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar.date(byAdding: .year, value: years, to: date) ?? date.addingTimeInterval(Double(years) * 365.25 * 86_400)
    }

    /// A DirectoryString name for a CA subject: trimmed, non-empty, at most `maximumLength`
    /// characters (X.520 ub-common-name and ub-organization-name are 64).
    static func checkedName(_ value: String, field: String, maximumLength: Int) throws(CertificateAuthorityError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidName(field: field, reason: "it is empty") }
        guard trimmed.count <= maximumLength else {
            throw .invalidName(field: field, reason: "it has \(trimmed.count) characters, at most \(maximumLength) fit")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidName(field: field, reason: "it contains control characters")
        }
        return trimmed
    }
}
