import Foundation
import NIOSSL
import SwiftASN1
import X509

/// Which server certificate `--cacert` makes the CLI trust.
///
/// A file of CA certificates is used as trust roots, with the usual chain and host name checks. A file
/// holding one self-signed server certificate (Gatehouse's development certificate is one) is pinned
/// instead: the server must present exactly that certificate, within its validity. BoringSSL does not
/// accept an end-entity certificate as a trust anchor (curl's OpenSSL does), and pinning the exact
/// certificate is the stricter check anyway.
enum APITrust: Sendable {
    /// The system's trust roots.
    case system
    case roots([NIOSSLCertificate])
    /// The DER of the one certificate the server must present.
    case pinned(der: [UInt8], notValidBefore: Date, notValidAfter: Date)

    static func load(caCertificate path: String?) throws -> APITrust {
        guard let path else { return .system }
        let certificates: [NIOSSLCertificate]
        do { certificates = try NIOSSLCertificate.fromPEMFile(path) } catch {
            throw CommandLineFailure.usage("--cacert: \(path) does not hold a PEM certificate")
        }
        guard let first = certificates.first else { throw CommandLineFailure.usage("--cacert: \(path) does not hold a PEM certificate") }
        guard certificates.count == 1, let der = try? first.toDERBytes(), let certificate = try? Certificate(derEncoded: der),
            certificate.issuer == certificate.subject, !isCertificateAuthority(certificate)
        else { return .roots(certificates) }
        return .pinned(der: der, notValidBefore: certificate.notValidBefore, notValidAfter: certificate.notValidAfter)
    }

    private static func isCertificateAuthority(_ certificate: Certificate) -> Bool {
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else { return false }
        return true
    }

    /// TLS 1.2 or later with full verification: against the roots here, or (pinned) by ``verifyPinned(_:now:)``.
    func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        if case .roots(let certificates) = self { tls.trustRoots = .certificates(certificates) }
        return tls
    }

    /// For ``pinned``: whether the server's chain starts with exactly the pinned certificate, valid now.
    func verifyPinned(_ presented: [NIOSSLCertificate], now: Date) -> NIOSSLVerificationResult {
        guard case .pinned(let der, let notValidBefore, let notValidAfter) = self, let leaf = presented.first,
            (try? leaf.toDERBytes()) == der, notValidBefore <= now, now <= notValidAfter
        else { return .failed }
        return .certificateVerified
    }
}
