import NIOCore
import NIOSSL

/// What a station knows about TLS for one server: the `{cat}.trust`, `{cat}.crt` and `{cat}.key` files
/// (Basics Station protocol §1), and how its TLS library behaves.
///
/// The defaults are the station's: TLS 1.2 only (mbedTLS 2.28), the server's certificate verified
/// against the trust roots and its host name checked. Tests widen or narrow them to probe the server:
/// TLS 1.1 or a CBC suite it must refuse, no client certificate, TLS 1.3.
///
/// Host names: NIOSSL, unlike mbedTLS 2.28, never sends an IP address as SNI and matches an IP host
/// against iPAddress SANs, not DNS SANs. To reach a server on `127.0.0.1` whose certificate has the DNS
/// SAN `localhost`, set `serverName` to `"localhost"`, or set `verifiesServerHostname` to `false`.
public struct StationTLSCredentials: Sendable {
    /// A client certificate chain (leaf first) and its private key: mutual TLS.
    public struct ClientIdentity: Sendable {
        public var certificateChain: [NIOSSLCertificate]
        public var privateKey: NIOSSLPrivateKey

        public init(certificateChain: [NIOSSLCertificate], privateKey: NIOSSLPrivateKey) {
            self.certificateChain = certificateChain
            self.privateKey = privateKey
        }
    }

    /// The certificates the server's chain must lead to (`{cat}.trust`).
    public var trustRoots: [NIOSSLCertificate]
    /// The client certificate and key (`{cat}.crt`, `{cat}.key`); `nil` for a station with trust only,
    /// which authenticates the server but not itself.
    public var clientIdentity: ClientIdentity?
    /// The lowest TLS version offered. The station offers exactly TLS 1.2.
    public var minimumTLSVersion: TLSVersion = .tlsv12
    /// The highest TLS version offered. The station offers exactly TLS 1.2.
    public var maximumTLSVersion: TLSVersion = .tlsv12
    /// The TLS 1.2 (and older) cipher suites offered, in order; `nil` offers NIOSSL's default list.
    /// TLS 1.3 suites are not configurable.
    public var cipherSuites: [NIOTLSCipher]?
    /// The name sent as SNI and checked against the server's certificate; `nil` uses the host connected
    /// to (when that is an IP address, no SNI is sent and the address is checked against iPAddress SANs).
    /// Must be a DNS name: NIOSSL refuses an IP address as SNI.
    public var serverName: String?
    /// Whether the server's certificate must name the server. The chain is verified against
    /// `trustRoots` either way.
    public var verifiesServerHostname: Bool = true

    /// Credentials from certificates and a key already loaded.
    public init(trustRoots: [NIOSSLCertificate], clientIdentity: ClientIdentity? = nil) {
        self.trustRoots = trustRoots
        self.clientIdentity = clientIdentity
    }

    /// Credentials from PEM text: the trust certificates, and for mutual TLS the client certificate
    /// chain (leaf first) and its key (PKCS#8 or SEC1). Empty text counts as absent, as an empty file
    /// does for the station.
    public init(
        trustRootsPEM: String,
        certificateChainPEM: String? = nil,
        privateKeyPEM: String? = nil
    ) throws(StationCredentialsError) {
        try self.init(
            trustRootsBytes: Array(trustRootsPEM.utf8),
            certificateChainBytes: certificateChainPEM.map { Array($0.utf8) },
            privateKeyBytes: privateKeyPEM.map { Array($0.utf8) }
        )
    }

    /// Credentials from the bytes of a station's files, each PEM or DER (as the station accepts). Empty
    /// contents count as absent.
    public init(
        trustRootsBytes: [UInt8],
        certificateChainBytes: [UInt8]? = nil,
        privateKeyBytes: [UInt8]? = nil
    ) throws(StationCredentialsError) {
        guard !trustRootsBytes.isEmpty else { throw .noTrustRoots }
        let trustRoots = try Self.certificates(from: trustRootsBytes)
        guard !trustRoots.isEmpty else { throw .noTrustRoots }
        let chain = try certificateChainBytes.flatMap { bytes throws(StationCredentialsError) in
            bytes.isEmpty ? nil : try Self.certificates(from: bytes)
        }
        let key = try privateKeyBytes.flatMap { bytes throws(StationCredentialsError) in
            bytes.isEmpty ? nil : try Self.privateKey(from: bytes)
        }
        switch (chain, key) {
        case (nil, nil):
            self.init(trustRoots: trustRoots)
        case (let chain?, let key?) where !chain.isEmpty:
            self.init(trustRoots: trustRoots, clientIdentity: ClientIdentity(certificateChain: chain, privateKey: key))
        default:
            throw .incompleteClientIdentity
        }
    }

    /// The TLS configuration every connection made with these credentials shares.
    func makeTLSConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = minimumTLSVersion
        configuration.maximumTLSVersion = maximumTLSVersion
        if let cipherSuites {
            configuration.cipherSuiteValues = cipherSuites
        }
        configuration.trustRoots = .certificates(trustRoots)
        configuration.certificateVerification = verifiesServerHostname ? .fullVerification : .noHostnameVerification
        if let clientIdentity {
            configuration.certificateChain = clientIdentity.certificateChain.map { .certificate($0) }
            configuration.privateKey = .privateKey(clientIdentity.privateKey)
        }
        return configuration
    }

    /// The name for SNI and host-name verification when connecting to `host`.
    func serverHostname(connectingTo host: String) -> String? {
        if let serverName { return serverName }
        let isIPAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return isIPAddress ? nil : host
    }

    static func certificates(from bytes: [UInt8]) throws(StationCredentialsError) -> [NIOSSLCertificate] {
        do {
            if isPEM(bytes) {
                return try NIOSSLCertificate.fromPEMBytes(bytes)
            }
            return try splitDERSequences(bytes).map { try NIOSSLCertificate(bytes: $0, format: .der) }
        } catch {
            throw .malformedCertificate(String(describing: error))
        }
    }

    static func privateKey(from bytes: [UInt8]) throws(StationCredentialsError) -> NIOSSLPrivateKey {
        do {
            return try NIOSSLPrivateKey(bytes: bytes, format: isPEM(bytes) ? .pem : .der)
        } catch {
            throw .malformedPrivateKey(String(describing: error))
        }
    }

    private static func isPEM(_ bytes: [UInt8]) -> Bool {
        let marker = Array("-----BEGIN".utf8)
        guard bytes.count >= marker.count else { return false }
        return (0...(bytes.count - marker.count)).contains { bytes[$0..<$0 + marker.count].elementsEqual(marker) }
    }

    /// Splits concatenated DER certificates (a station's trust file may hold several) by their outer
    /// SEQUENCE lengths.
    private static func splitDERSequences(_ bytes: [UInt8]) throws(StationCredentialsError) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x30, index + 1 < bytes.count else {
                throw .malformedCertificate("DER data does not start with a SEQUENCE")
            }
            var length = Int(bytes[index + 1])
            var header = 2
            if length & 0x80 != 0 {
                let octets = length & 0x7F
                guard (1...3).contains(octets), index + 2 + octets <= bytes.count else {
                    throw .malformedCertificate("DER length is malformed")
                }
                length = bytes[(index + 2)..<(index + 2 + octets)].reduce(0) { $0 << 8 | Int($1) }
                header += octets
            }
            let end = index + header + length
            guard end <= bytes.count else { throw .malformedCertificate("DER data is truncated") }
            parts.append(Array(bytes[index..<end]))
            index = end
        }
        return parts
    }
}
