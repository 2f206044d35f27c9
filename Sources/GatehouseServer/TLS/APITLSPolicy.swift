public import NIOSSL
import SwiftASN1
import X509

/// The TLS rules of the HTTPS API listener.
///
/// TLS 1.2 is the floor. For TLS 1.2 only ECDHE key exchange (forward secrecy) with AEAD ciphers
/// is offered: AES-GCM, and ChaCha20-Poly1305 for clients without AES hardware. That excludes CBC
/// suites (padding-oracle history), static RSA key exchange (no forward secrecy) and SHA-1 MACs.
/// Both ECDSA and RSA server keys are covered, so an operator's RSA certificate works too.
/// BoringSSL's TLS 1.3 suites are all AEAD and are not configurable.
public enum APITLSPolicy {
    /// The TLS 1.2 cipher suites offered, strongest first for each key type.
    public static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ]

    /// The lowest protocol version accepted.
    public static let minimumVersion: TLSVersion = .tlsv12

    /// A server configuration that presents `identity` under this policy.
    ///
    /// - Throws: ``TLSIdentityError/rejectedByTLSLibrary(path:)`` in the unlikely case that BoringSSL
    ///   refuses a certificate or key that swift-certificates accepted.
    public static func serverConfiguration(presenting identity: TLSIdentity) throws(TLSIdentityError) -> TLSConfiguration {
        let chain: [NIOSSLCertificateSource]
        do {
            chain = try identity.certificateChain.map { certificate in
                .certificate(try NIOSSLCertificate(bytes: try certificate.serializeAsPEM().derBytes, format: .der))
            }
        } catch {
            throw .rejectedByTLSLibrary(path: identity.certificatePath)
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: try identity.privateKey.serializeAsPEM().derBytes, format: .der)
        } catch {
            throw .rejectedByTLSLibrary(path: identity.privateKeyPath)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = minimumVersion
        configuration.cipherSuiteValues = tls12CipherSuites
        configuration.applicationProtocols = ["http/1.1"]
        return configuration
    }
}
