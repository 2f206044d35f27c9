import Foundation

/// A revoked certificate as storage lists it for its issuer's CRL: the serial as stored (hex), when
/// and why it was revoked. Turning it into a ``RevokedCertificate`` (decoding the serial) is left to
/// the CRL's entry cache, which does it once per certificate rather than once per CRL.
public struct ListedRevocation: Sendable, Hashable {
    public var serialHex: String
    public var revocationDate: Date
    public var reason: CRLReason

    public init(serialHex: String, revocationDate: Date, reason: CRLReason) {
        self.serialHex = serialHex
        self.revocationDate = revocationDate
        self.reason = reason
    }
}
