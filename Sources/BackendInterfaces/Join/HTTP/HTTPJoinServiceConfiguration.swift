import Foundation
import NIOCore
import NIOSSL

/// Where and how `HTTPJoinService` reaches a remote Join Server: one HTTPS URL, mutual TLS.
/// Checked once when made, hence immutable.
///
/// The Join Server tells Network Servers apart by their client certificate (The Things Stack maps
/// the certificate's CA to the `SenderID`, reference §1.2), so a client certificate is required,
/// and the server is checked against the configured roots only, never the system's.
public struct HTTPJoinServiceConfiguration: Sendable, CustomStringConvertible {
    /// The Join Server's Backend Interfaces endpoint, posted to verbatim (ChirpStack does the same;
    /// The Things Stack's server accepts any path).
    public let url: String
    public let certificateChain: [NIOSSLCertificate]
    public let privateKey: NIOSSLPrivateKey
    public let trustRoots: [NIOSSLCertificate]
    /// For the whole exchange, connecting included. ChirpStack gives a Join Server 5 s (reference §1),
    /// and a join-accept must be ready before the device's receive window 5 s after its request.
    public let timeout: TimeAmount
    /// Connections kept to the Join Server. HTTP/1.1 carries one request at a time per connection, so
    /// this bounds the joins in flight; a Network Server in a join storm wants more than a handful.
    public var maximumConnections: Int = 32
    /// `url` without any user name or password in it, for logs and descriptions.
    let displayURL: String

    /// - Throws: when `url` is not an absolute `https` URL with a host: session keys travel in the
    ///   body, and a plain-text hop would expose any sent in clear.
    public init(
        url: String, certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey, trustRoots: [NIOSSLCertificate],
        timeout: TimeAmount = .seconds(5)
    ) throws(HTTPJoinServiceConfigurationError) {
        guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "https", let host = parsed.host, !host.isEmpty else {
            throw .notAnHTTPSURL(url)
        }
        guard !certificateChain.isEmpty else { throw .noClientCertificate }
        guard !trustRoots.isEmpty else { throw .noTrustRoots }
        guard timeout > .zero else { throw .nonPositiveTimeout }
        self.url = url
        var shown = URLComponents(string: url)
        shown?.user = nil
        shown?.password = nil
        displayURL = shown?.string ?? host
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.trustRoots = trustRoots
        self.timeout = timeout
    }

    /// TLS 1.2 or later, full verification (chain and host name) against ``trustRoots``, our
    /// certificate and key presented to the server.
    var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        tls.trustRoots = .certificates(trustRoots)
        tls.certificateChain = certificateChain.map { .certificate($0) }
        tls.privateKey = .privateKey(privateKey)
        return tls
    }

    /// The URL (without credentials) and the number of certificates; never the key.
    public var description: String {
        "HTTPJoinServiceConfiguration(url: \(displayURL), certificates: \(certificateChain.count), trust roots: \(trustRoots.count), timeout: \(timeout))"
    }
}

/// Why a Join Server client configuration is refused.
public enum HTTPJoinServiceConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    case notAnHTTPSURL(String)
    case noClientCertificate
    case noTrustRoots
    case nonPositiveTimeout

    public var description: String {
        switch self {
        case .notAnHTTPSURL(let url): "the Join Server URL \"\(url)\" is not an https URL with a host"
        case .noClientCertificate: "a Join Server client needs a client certificate"
        case .noTrustRoots: "a Join Server client needs the CA certificates that sign the Join Server's certificate"
        case .nonPositiveTimeout: "the Join Server timeout must be positive"
        }
    }
}
