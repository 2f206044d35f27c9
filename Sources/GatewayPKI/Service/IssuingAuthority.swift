import SwiftASN1
import X509

/// The CA that signs gateway certificates now, ready to use: its record, its signer and an issuer
/// built on them, plus the chain a gateway needs to present.
struct IssuingAuthority: Sendable {
    let record: AuthorityRecord
    let signer: SoftwareCertificateSigner
    let issuer: GatewayCertificateIssuer

    /// Picks the newest issuing CA that still has its key, and the root it chains to (or itself, for an
    /// imported CA whose root Gatehouse does not hold).
    static func select(from authorities: [AuthorityRecord]) throws(PKIError) -> IssuingAuthority? {
        guard let record = authorities.filter({ $0.role == .issuing && $0.privateKey != nil }).max(by: { $0.createdAt < $1.createdAt })
        else { return nil }
        let signer: SoftwareCertificateSigner
        do { signer = try SoftwareCertificateSigner(authority: record) } catch { throw .authority(error) }
        let roots = authorities.filter { $0.role == .root }.compactMap { try? Certificate(derEncoded: $0.certificateDER) }
        let anchor = roots.first { $0.subject == signer.certificate.issuer } ?? signer.certificate
        do {
            return IssuingAuthority(record: record, signer: signer, issuer: try GatewayCertificateIssuer(signer: signer, trustAnchor: anchor))
        } catch {
            throw .issuance(error)
        }
    }
}
