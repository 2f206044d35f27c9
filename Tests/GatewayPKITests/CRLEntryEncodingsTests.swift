import Foundation
@testable import GatewayPKI
import Testing

/// The entry encodings a regenerated CRL reuses: the CRL must be the one a fresh encoding gives,
/// whatever was cached before.
@Suite("CRL entry encodings kept between regenerations")
struct CRLEntryEncodingsTests {
    static let thisUpdate = CRLTests.thisUpdate

    static func listed(_ serial: String, minutesAgo: Double = 1, _ reason: CRLReason = .superseded) -> ListedRevocation {
        ListedRevocation(serialHex: serial, revocationDate: thisUpdate.addingTimeInterval(-60 * minutesAgo), reason: reason)
    }

    /// The TBSCertList of a CRL made with `encodings`, and of one made from scratch.
    static func tbs(_ listed: [ListedRevocation], encodings: inout CRLEntryEncodings, signer: CRLTestIssuer) throws -> (kept: [UInt8], fresh: [UInt8]) {
        let kept = try CRLEncoder.makeCRL(
            listed: listed, encodings: &encodings, number: 3, thisUpdate: thisUpdate, nextUpdate: CRLTests.nextUpdate, signer: signer)
        let revoked = try listed.map { try RevokedCertificate(serialHex: $0.serialHex, revocationDate: $0.revocationDate, reason: $0.reason) }
        let fresh = try CRLTests.crl(revoked, number: 3, signer: signer)
        return (try CertificateList(derEncoded: kept).tbsCertListBytes, try CertificateList(derEncoded: fresh).tbsCertListBytes)
    }

    @Test("a CRL from kept encodings equals a fresh one, as entries come, change and go")
    func keptEqualsFresh() throws {
        let signer = try CRLTestIssuer(.p256)
        var encodings = CRLEntryEncodings()
        let first = [Self.listed("0a01"), Self.listed("0b02", .keyCompromise), Self.listed("0c03", minutesAgo: 5, .unspecified)]
        let one = try Self.tbs(first, encodings: &encodings, signer: signer)
        #expect(one.kept == one.fresh)
        #expect(encodings.count == 3)

        // One more revoked, one with a new reason and time, one expired (no longer listed).
        let second = [Self.listed("0a01"), Self.listed("0b02", minutesAgo: 0.5, .affiliationChanged), Self.listed("0d04", .cessationOfOperation)]
        let two = try Self.tbs(second, encodings: &encodings, signer: signer)
        #expect(two.kept == two.fresh)
        #expect(encodings.count == 3)
        let entries = try CertificateList(derEncoded: try CRLEncoder.makeCRL(
            listed: second, encodings: &encodings, number: 4, thisUpdate: Self.thisUpdate, nextUpdate: CRLTests.nextUpdate, signer: signer
        )).revokedCertificates
        #expect(entries.map(\.serialHex) == ["0a01", "0b02", "0d04"])
        #expect(entries.map(\.reason) == [.superseded, .affiliationChanged, .cessationOfOperation])
    }

    @Test("one certificate listed under two spellings of its serial is refused, cached or not")
    func duplicateSpellings() throws {
        let signer = try CRLTestIssuer(.p256)
        var encodings = CRLEntryEncodings()
        _ = try Self.tbs([Self.listed("00ab01")], encodings: &encodings, signer: signer)
        #expect(throws: CRLError.duplicateSerialNumber("ab01")) {
            try Self.tbs([Self.listed("00ab01"), Self.listed("AB01")], encodings: &encodings, signer: signer)
        }
    }

    @Test("a malformed serial or removeFromCRL is refused as in a fresh CRL")
    func refusals() throws {
        let signer = try CRLTestIssuer(.p256)
        var encodings = CRLEntryEncodings()
        #expect(throws: CRLError.invalidSerialNumber("xyz")) {
            try Self.tbs([Self.listed("xyz")], encodings: &encodings, signer: signer)
        }
        #expect(throws: CRLError.removeFromCRLInCompleteCRL(serial: "0a01")) {
            try Self.tbs([Self.listed("0a01", .removeFromCRL)], encodings: &encodings, signer: signer)
        }
    }
}
