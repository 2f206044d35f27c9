/// Why a Basics Station credential bundle could not be made. Never carries key material.
public enum BasicsStationBundleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URI is 128 characters or longer (the station's limit for `cups.uri`/`tc.uri`).
    case uriTooLong(BasicsStationURI.Service, length: Int)
    /// The scheme is not one the station accepts for this service.
    case uriSchemeNotAllowed(BasicsStationURI.Service, scheme: String)
    /// The station needs an explicit port (`https://host:443`).
    case uriMissingPort(BasicsStationURI.Service)
    /// The station wants `scheme://host:port` only: it adds `/update-info` and `/router-info` itself.
    case uriHasPath(BasicsStationURI.Service)
    /// Anything else wrong with the URI: empty host, bad port, user info, query, spaces.
    case uriMalformed(BasicsStationURI.Service, reason: String)
    /// The server trust is not one or more PEM certificates.
    case invalidServerTrust(reason: String)
    /// The gateway certificate is not one or more PEM certificates (its own first).
    case invalidCertificate(reason: String)
    /// The private key is not a single PEM private key (PKCS #8, SEC1 or PKCS #1). The reason
    /// is deliberately absent: parser messages could quote key bytes.
    case invalidPrivateKey
    /// The private key does not belong to the gateway certificate.
    case privateKeyDoesNotMatchCertificate

    public var description: String {
        switch self {
        case .uriTooLong(let service, let length):
            "The \(service) URI has \(length) characters; Basics Station accepts fewer than 128."
        case .uriSchemeNotAllowed(let service, let scheme):
            "The \(service) URI scheme \"\(scheme)\" is not allowed; use \(service.allowedSchemes.joined(separator: " or "))."
        case .uriMissingPort(let service):
            "The \(service) URI needs an explicit port, like \(service.allowedSchemes[0])://host:\(service == .cups ? 443 : 8887)."
        case .uriHasPath(let service):
            "The \(service) URI must not have a path: Basics Station wants scheme://host:port only."
        case .uriMalformed(let service, let reason):
            "The \(service) URI is malformed: \(reason)."
        case .invalidServerTrust(let reason):
            "The server trust is not a PEM certificate: \(reason)."
        case .invalidCertificate(let reason):
            "The gateway certificate is not a PEM certificate: \(reason)."
        case .invalidPrivateKey:
            "The gateway private key is not a PEM private key (PKCS #8, SEC1 or PKCS #1)."
        case .privateKeyDoesNotMatchCertificate:
            "The gateway private key does not belong to the gateway certificate."
        }
    }
}
