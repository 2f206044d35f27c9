import Foundation

/// The DER of each CRL entry, kept from one regeneration of a CRL to the next.
///
/// A fleet re-issue revokes thousands of certificates a second into a CRL of many thousands, and the
/// CRL is re-signed while it goes on. Encoding every entry again each time cost more than everything
/// else the regeneration does; an entry's encoding depends only on its serial, time and reason, so
/// it is made once. Entries no longer listed (expired, or of another issuer) are forgotten.
struct CRLEntryEncodings: Sendable {
    private struct Encoded: Sendable {
        let revocationDate: Date
        let reason: CRLReason
        /// The serial as the CRL writes it, to find one certificate listed twice under two spellings.
        let canonicalSerial: String
        let der: [UInt8]
    }

    private var bySerial: [String: Encoded] = [:]

    /// The entries' DER for `listed`, in its order: cached ones reused, others encoded.
    /// - Throws: `CRLError` for a malformed serial or date, a certificate listed twice, or removeFromCRL.
    mutating func entries(for listed: [ListedRevocation]) throws -> [[UInt8]] {
        var kept = [String: Encoded](minimumCapacity: listed.count)
        var canonicalSerials = Set<String>(minimumCapacity: listed.count)
        var entries: [[UInt8]] = []
        entries.reserveCapacity(listed.count)
        for revocation in listed {
            let encoded: Encoded
            if let cached = bySerial[revocation.serialHex], cached.revocationDate == revocation.revocationDate,
                cached.reason == revocation.reason
            {
                encoded = cached
            } else {
                let entry = try RevokedCertificate(
                    serialHex: revocation.serialHex, revocationDate: revocation.revocationDate, reason: revocation.reason)
                encoded = Encoded(
                    revocationDate: revocation.revocationDate, reason: revocation.reason, canonicalSerial: entry.serialHex,
                    der: try entry.entryDER())
            }
            guard canonicalSerials.insert(encoded.canonicalSerial).inserted else {
                throw CRLError.duplicateSerialNumber(encoded.canonicalSerial)
            }
            kept[revocation.serialHex] = encoded
            entries.append(encoded.der)
        }
        bySerial = kept
        return entries
    }

    var count: Int { bySerial.count }
}
