import Foundation
import GatewayPKI
import LoRaWAN

/// Why a gateway's TLS handshake was refused: one case per check of ``GatewayHandshakeVerifier``,
/// so the log line and the metrics label name the exact rule that failed.
///
/// The peer only ever sees a generic TLS alert; the reason is for the operator (log and
/// `gatehouse_gateway_handshake_refusals_total{reason=...}`).
public enum GatewayHandshakeRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The client presented no certificate (BoringSSL refuses this itself, see
    /// ``HandshakeFailureReportingHandler``).
    case noCertificate
    /// The leaf certificate is not DER that swift-certificates can read.
    case malformedCertificate
    /// No chain from the leaf to a trusted CA (ours or a vendor's) meets RFC 5280 at the current
    /// time: unknown CA, bad signature, an expired or constrained CA.
    case untrustedChain
    /// The leaf's notAfter has passed.
    case expired(notAfter: Date)
    /// The leaf's notBefore is still ahead.
    case notYetValid(notBefore: Date)
    /// The leaf has no extended key usage, or one without id-kp-clientAuth (RFC 5280 §4.2.1.12).
    case missingClientAuthentication
    /// The leaf's key is RSA under 2048 bits, an EC curve other than P-256 or P-384, or another algorithm.
    case weakKey(SubjectPublicKeyAlgorithm)
    /// Neither the CN nor a `urn:dev:mac:` SAN names one EUI-64; the detail says what was found.
    case subjectNotEUI(detail: String)
    /// The leaf's serial (lower-case hex) is in the live ``RevocationState``.
    case revoked(serial: String)
    /// The certificate names a gateway that is not registered.
    case unregisteredGateway(EUI64)
    /// The gateway directory could not answer; the handshake is refused, never admitted.
    case directoryUnavailable(EUI64, error: String)
    /// The remote address opened more handshakes than ``HandshakeRateLimiter`` allows.
    case rateLimited

    /// The refusal without its details: the value of the metrics `reason` label.
    public enum Reason: String, Sendable, CaseIterable {
        case noCertificate = "no_certificate"
        case malformedCertificate = "malformed_certificate"
        case untrustedChain = "untrusted_chain"
        case expired = "expired"
        case notYetValid = "not_yet_valid"
        case missingClientAuthentication = "missing_client_auth"
        case weakKey = "weak_key"
        case subjectNotEUI = "subject_not_eui"
        case revoked = "revoked"
        case unregisteredGateway = "unregistered_gateway"
        case directoryUnavailable = "directory_unavailable"
        case rateLimited = "rate_limited"
    }

    public var reason: Reason {
        switch self {
        case .noCertificate: .noCertificate
        case .malformedCertificate: .malformedCertificate
        case .untrustedChain: .untrustedChain
        case .expired: .expired
        case .notYetValid: .notYetValid
        case .missingClientAuthentication: .missingClientAuthentication
        case .weakKey: .weakKey
        case .subjectNotEUI: .subjectNotEUI
        case .revoked: .revoked
        case .unregisteredGateway: .unregisteredGateway
        case .directoryUnavailable: .directoryUnavailable
        case .rateLimited: .rateLimited
        }
    }

    /// The metrics label, e.g. `revoked`.
    public var label: String { reason.rawValue }

    public var description: String {
        switch self {
        case .noCertificate:
            "the client presented no certificate"
        case .malformedCertificate:
            "the client certificate is not a readable X.509 certificate"
        case .untrustedChain:
            "the client certificate does not chain to a trusted CA (ours or a trusted vendor's) valid now"
        case .expired(let notAfter):
            "the client certificate expired at \(notAfter.ISO8601Format())"
        case .notYetValid(let notBefore):
            "the client certificate is not valid before \(notBefore.ISO8601Format())"
        case .missingClientAuthentication:
            "the client certificate's extended key usage does not include clientAuth"
        case .weakKey(let algorithm):
            "the client certificate's key is \(algorithm); gateways need RSA of at least 2048 bits, P-256 or P-384"
        case .subjectNotEUI(let detail):
            "the client certificate does not name a gateway EUI: \(detail)"
        case .revoked(let serial):
            "the client certificate (serial \(serial)) is revoked"
        case .unregisteredGateway(let eui):
            "gateway \(eui) is not registered"
        case .directoryUnavailable(let eui, let error):
            "could not check whether gateway \(eui) is registered: \(error)"
        case .rateLimited:
            "too many handshakes from this address"
        }
    }
}
